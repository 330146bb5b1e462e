export interface GroupCommitOptions {
  /** Items one commit takes at most. */
  maxItems: number;
  /** Commits in flight at once (each on a connection of its own). */
  maxInFlight: number;
}

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A small group commit: `add` resolves once its item is committed, with the items of concurrent callers,
 * by one `commit` call (one transaction) for all of them, or rejects with that call's error (every item
 * of a failed commit fails). Items wait at most for the commits in flight before them: with a free
 * slot, the items added in the same turn of the event loop are committed at once (no timer, so a lone
 * item waits for nothing); with every slot busy they gather, up to `maxItems` a commit, until one is free.
 */
export class GroupCommit<T> {
  private readonly queue: Waiting<T>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly commit: (items: T[]) => Promise<void>,
    private readonly options: GroupCommitOptions,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Items waiting or being committed. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** Resolves when nothing is waiting or in flight (at shutdown). */
  drained(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.queue.splice(0, this.options.maxItems);
      this.inFlight++;
      // a commit that throws at once fails its items like one that rejects
      Promise.resolve()
        .then(() => this.commit(batch.map((w) => w.item)))
        .then(
          () => batch.forEach((w) => w.resolve()),
          (error) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          this.inFlight--;
          if (this.queue.length > 0)
            this.start(); // what gathered meanwhile goes at once
          else if (this.inFlight === 0) this.idle.splice(0).forEach((resolve) => resolve());
        });
    }
  }
}
