/** What the slot needs of a producer (kafkajs's `Producer` has it). */
export interface Connectable {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

/** A send or a connect that did not finish within the bus's deadline. */
export class SendDeadlineExceeded extends Error {
  override readonly name = 'SendDeadlineExceeded';
}

/** `work`, or a `SendDeadlineExceeded` once `ms` have passed (the work itself goes on, unawaited). */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendDeadlineExceeded(`${what} did not finish in ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The bus's one producer, replaced after any failed or overdue send. A broker that restarts can leave
 * kafkajs 2.2.4's idempotent producer unusable (its producer id unknown to the broker, its
 * `InitProducerId` retries spent while the coordinator was loading) or a send waiting with no end; the
 * outbox relay awaits that send inside the transaction that holds its lock, so one such send would stop
 * a service's events for good. Every use is therefore bounded by a deadline, and a producer that failed
 * once is disconnected in the background and a new one (a new producer id) connected on the next use.
 * A batch that the old producer still delivers later is a duplicate, which the consumers' inboxes drop.
 */
export class ProducerSlot<P extends Connectable> {
  private current?: Promise<P>;
  private stopped = false;

  constructor(
    private readonly create: () => P,
    private readonly deadlineMs: number,
    private readonly onReplace: (reason: string) => void = () => undefined,
  ) {}

  /** Runs `work` with the connected producer, within the deadline (connecting included). */
  async use<T>(work: (producer: P) => Promise<T>): Promise<T> {
    if (this.stopped) throw new Error('the producer is stopped');
    const slot = (this.current ??= this.connectNew());
    try {
      return await withDeadline(
        slot.then((producer) => work(producer)),
        this.deadlineMs,
        'a send to the broker',
      );
    } catch (error) {
      this.replace(slot, error);
      throw error;
    }
  }

  /** Connects now (start-up fails at once when the broker cannot be reached). */
  async connect(): Promise<void> {
    this.stopped = false;
    await this.use(() => Promise.resolve());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const slot = this.current;
    this.current = undefined;
    if (!slot) return;
    const producer = await slot.catch(() => undefined);
    await producer?.disconnect();
  }

  private async connectNew(): Promise<P> {
    const producer = this.create();
    try {
      await producer.connect();
    } catch (error) {
      void producer.disconnect().catch(() => undefined);
      throw error;
    }
    return producer;
  }

  private replace(slot: Promise<P>, error: unknown): void {
    if (this.current !== slot) return; // another use replaced it already
    this.current = undefined;
    this.onReplace(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    // a disconnect can itself wait for the stuck request: it gets the same deadline and nobody awaits it
    void slot
      .then((producer) => withDeadline(producer.disconnect(), this.deadlineMs, 'a disconnect'))
      .catch(() => undefined);
  }
}
