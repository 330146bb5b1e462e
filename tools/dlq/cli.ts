import 'reflect-metadata';
import { ConsoleLogger, Logger, LogLevel } from '@nestjs/common';
import { ConfigurationError, loadEnvFile } from '@jrp/config';
import { parseDlqArgs, runDlq, USAGE, UsageError } from './dlq';

/** The libraries' own log lines (the Kafka client's warnings) go to stderr: stdout is the command's output. */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    level?: LogLevel,
    _stream?: 'stdout' | 'stderr',
    stack?: string,
  ): void {
    super.printMessages(messages, context, level, 'stderr', stack);
  }
}

/** `npm run dlq -- list|replay|discard …`: inspect, replay and discard dead letters (docs/operations.md). */
async function main(): Promise<void> {
  Logger.overrideLogger(new StderrLogger('dlq', { logLevels: ['error', 'warn'] }));
  loadEnvFile();
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

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigurationError
      ? error.message
      : `dlq: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
