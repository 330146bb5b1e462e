import 'reflect-metadata';
import { ConsoleLogger, Logger, LogLevel } from '@nestjs/common';
import { runTool } from '../command-line';
import { parseDlqArgs, runDlq, USAGE } from './dlq';

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
Logger.overrideLogger(new StderrLogger('dlq', { logLevels: ['error', 'warn'] }));
runTool('dlq', USAGE, parseDlqArgs, (command) => runDlq(command, process.env, (line) => console.log(line)));
