import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { redactIdNumbers } from '@jrp/crypto';

/**
 * The process logger: Nest's console logger with every personal ID number masked, so no log line
 * carries one even when a message quotes a value by mistake.
 */
export class RedactingLogger extends ConsoleLogger {
  protected override formatMessage(
    logLevel: LogLevel,
    message: unknown,
    pidMessage: string,
    formattedLogLevel: string,
    contextMessage: string,
    timestampDiff: string,
  ): string {
    return redactIdNumbers(super.formatMessage(logLevel, message, pidMessage, formattedLogLevel, contextMessage, timestampDiff));
  }

  protected override printStackTrace(stack: string): void {
    super.printStackTrace(typeof stack === 'string' ? redactIdNumbers(stack) : stack);
  }
}
