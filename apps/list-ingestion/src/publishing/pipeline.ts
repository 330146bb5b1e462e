/**
 * Runs a bulk job's parts through two steps, `prepare` (this process's work: validation, encryption) and
 * `store` (the database's: one transaction a part), so that the two overlap: part k + 1 is prepared while
 * part k is being stored. The stores run one at a time, in the parts' order, each after the one before
 * has finished (what a part stores may decide what the next one finds); a part is prepared only once the
 * part before it is (so at most one part waits, prepared, for its store). The first failure — of a
 * prepare or a store — stops the run and is thrown once the store in progress has ended; nothing is
 * prepared or stored after it.
 */
export async function pipelined<Part, Prepared>(
  parts: Iterable<Part> | AsyncIterable<Part>,
  prepare: (part: Part) => Promise<Prepared>,
  store: (prepared: Prepared, part: Part) => Promise<void>,
): Promise<void> {
  let storing: Promise<void> | undefined;
  try {
    for await (const part of parts) {
      const prepared = await prepare(part);
      if (storing) await storing;
      storing = store(prepared, part);
      // handled here for now (awaited above or below): a store failing while the next part is prepared
      // is not an unhandled rejection
      storing.catch(() => undefined);
    }
  } catch (error) {
    if (storing) await storing.catch(() => undefined); // no store left running behind the failure
    throw error;
  }
  if (storing) await storing;
}

/** Lets the event loop run what is waiting (a query's answer, so the next statement goes out) every `every` calls. */
export class Breather {
  private count = 0;

  constructor(private readonly every: number) {}

  /** Resolves at once, except every `every`-th call, which resolves after the pending I/O callbacks ran. */
  pause(): Promise<void> | undefined {
    if (++this.count % this.every !== 0) return undefined;
    return new Promise((resolve) => setImmediate(resolve));
  }
}
