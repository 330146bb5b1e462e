import 'reflect-metadata';
import { ConfigurationError, loadEnvFile } from '@jrp/config';
import { parseMigrateArgs, runMigrate, USAGE, UsageError } from './migrate';

/** `npm run migrate -- [--service <name>]…`: runs the services' migrations and exits (docs/operations.md). */
async function main(): Promise<void> {
  loadEnvFile();
  let command;
  try {
    command = parseMigrateArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (command.help) {
    console.log(USAGE);
    return;
  }
  await runMigrate(command, process.env, (line) => console.log(line));
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigurationError
      ? error.message
      : `migrate: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
