/** A transaction that lost a deadlock or a serialization conflict to another one: try it again. */
export function isTransientConflict(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Errors that mean "this consumer cannot work right now" (its database is unreachable, or its transaction
 * keeps losing conflicts to others) rather than "this message cannot be processed". Those are never
 * dead-lettered: the message waits and is tried again.
 */
export function isInfrastructureError(error: unknown): boolean {
  if (isTransientConflict(error)) return true;
  const e = error as { code?: string; message?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  if (typeof code === 'string') {
    if (code.startsWith('08')) return true; // connection exceptions
    if (['57P01', '57P02', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code))
      return true;
  }
  const message = e?.message ?? '';
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  );
}

/** Thrown for a message that can never be processed: it goes to the dead letters without retries. */
export class PoisonMessageError extends Error {}
