import 'reflect-metadata';
import { runTool } from '../command-line';
import { parseRotateArgs, runRotateDataKeys, USAGE } from './rotate-data-keys';

/** `npm run rotate-data-keys -- [--service <name>]…`: re-encrypts what the services store under the data keys. */
runTool('rotate-data-keys', USAGE, parseRotateArgs, async (command) => {
  await runRotateDataKeys(command, process.env, (line) => console.log(line));
});
