import { ConsoleLogger, ConsoleLoggerOptions, LogLevel } from '@nestjs/common';
import { redactIdNumbers } from '@jrp/crypto';
import { Correlation } from '@jrp/messaging';

export type LogFormat = 'json' | 'text';

/** Nest's level names, as log shippers expect them. */
const LEVEL_NAMES: Record<LogLevel, string> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/** A message given as an object: `{ message, ...fields }` (fields become JSON fields, or `key=value` in text). */
function split(message: unknown): { text: string; fields: Record<string, unknown> } {
  if (message instanceof Error) return { text: message.message, fields: { error: message.name } };
  if (message && typeof message === 'object' && !Array.isArray(message)) {
    const { message: text, ...fields } = message as Record<string, unknown>;
    return {
      text: typeof text === 'string' ? text : JSON.stringify(message),
      fields: typeof text === 'string' ? fields : {},
    };
  }
  return { text: typeof message === 'string' ? message : String(message), fields: {} };
}

/**
 * The process logger, with every personal ID number masked, so no log line carries one even when a
 * message quotes a value by mistake. Two formats: `json`, one object per line (time, level, service,
 * context, message, correlationId and the message's own fields; production's default), and Nest's
 * `text` lines with the correlation id after the context (development and tests).
 */
export class RedactingLogger extends ConsoleLogger {
  private readonly format: LogFormat;
  private readonly service?: string;

  constructor(context?: string, options: ConsoleLoggerOptions & { format?: LogFormat; service?: string } = {}) {
    const { format = 'text', service, ...nest } = options;
    super(context ?? '', { ...nest, ...(format === 'json' ? { colors: false } : {}) });
    this.format = format;
    this.service = service;
  }

  protected override printMessages(
    messages: unknown[],
    context = '',
    logLevel: LogLevel = 'log',
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    if (this.format === 'text') {
      const correlationId = Correlation.current();
      const withFields = messages.map((m) => {
        const { text, fields } = split(m);
        const extra = Object.entries(fields)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
        return [text, ...extra].join(' ');
      });
      super.printMessages(
        withFields,
        correlationId ? `${context}] [${correlationId}` : context,
        logLevel,
        writeStreamType,
        errorStack,
      );
      return;
    }
    for (const message of messages) {
      const { text, fields } = split(message);
      const line: Record<string, unknown> = {
        time: new Date().toISOString(),
        level: LEVEL_NAMES[logLevel] ?? logLevel,
        ...(this.service ? { service: this.service } : {}),
        ...(context ? { context } : {}),
        message: text,
        ...(Correlation.current() ? { correlationId: Correlation.current() } : {}),
        ...(typeof errorStack === 'string' && errorStack ? { stack: errorStack } : {}),
      };
      // the message's own fields follow; they never replace the line's
      for (const [name, value] of Object.entries(fields))
        if (!(name in line) && value !== undefined) line[name] = value;
      process[writeStreamType ?? 'stdout'].write(`${redactIdNumbers(JSON.stringify(line))}\n`);
    }
  }

  protected override formatMessage(
    logLevel: LogLevel,
    message: unknown,
    pidMessage: string,
    formattedLogLevel: string,
    contextMessage: string,
    timestampDiff: string,
  ): string {
    return redactIdNumbers(
      super.formatMessage(logLevel, message, pidMessage, formattedLogLevel, contextMessage, timestampDiff),
    );
  }

  protected override printStackTrace(stack: string): void {
    if (this.format === 'json') return; // the stack is a field of the JSON line
    super.printStackTrace(typeof stack === 'string' ? redactIdNumbers(stack) : stack);
  }
}
