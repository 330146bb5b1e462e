import 'reflect-metadata';
import { ConfigurationError, loadEnvFile } from '@jrp/config';
import { parseRotateArgs, runRotateDataKeys, USAGE, UsageError } from './rotate-data-keys';

/** `npm run rotate-data-keys -- [--service <name>]…`: re-encrypts what the services store under the data keys. */
async function main(): Promise<void> {
  loadEnvFile();
  let command;
  try {
    command = parseRotateArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (command.help) {
    console.log(USAGE);
    return;
  }
  await runRotateDataKeys(command, process.env, (line) => console.log(line));
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigurationError
      ? error.message
      : `rotate-data-keys: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
