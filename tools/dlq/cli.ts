import 'reflect-metadata';
import { parseDlqArgs, runDlq, USAGE, UsageError } from './dlq';

/** `npm run dlq -- list|replay|discard …`: inspect, replay and discard dead letters (docs/operations.md). */
async function main(): Promise<void> {
  let command;
  try {
    command = parseDlqArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  process.exitCode = await runDlq(command, process.env, (line) => console.log(line));
}

main().catch((error) => {
  console.error(error?.name === 'ConfigurationError' ? error.message : `dlq: ${error?.message ?? error}`);
  process.exit(1);
});
