import 'reflect-metadata';
import { runTool } from '../command-line';
import { parseMigrateArgs, runMigrate, USAGE } from './migrate';

/** `npm run migrate -- [--service <name>]…`: runs the services' migrations and exits (docs/operations.md). */
runTool('migrate', USAGE, parseMigrateArgs, async (command) => {
  await runMigrate(command, process.env, (line) => console.log(line));
});
