import { ProducerSlot, SendDeadlineExceeded } from './producer-slot';

/** A producer whose connects and sends do what each test tells them. */
class FakeProducer {
  static made: FakeProducer[] = [];
  connected = false;
  disconnected = false;
  constructor(
    readonly connectWith: () => Promise<void>,
    readonly sendWith: () => Promise<string>,
  ) {
    FakeProducer.made.push(this);
  }
  async connect(): Promise<void> {
    await this.connectWith();
    this.connected = true;
  }
  disconnect(): Promise<void> {
    this.disconnected = true;
    return Promise.resolve();
  }
  send(): Promise<string> {
    return this.sendWith();
  }
}

const never = () => new Promise<never>(() => undefined);
const ok = () => Promise.resolve();

function slotOf(producers: { connect?: () => Promise<void>; send: () => Promise<string> }[], deadlineMs = 50) {
  const reasons: string[] = [];
  let next = 0;
  const slot = new ProducerSlot(
    () => {
      const spec = producers[Math.min(next++, producers.length - 1)];
      return new FakeProducer(spec.connect ?? ok, spec.send);
    },
    deadlineMs,
    (reason) => reasons.push(reason),
  );
  return { slot, reasons };
}

describe('ProducerSlot', () => {
  beforeEach(() => (FakeProducer.made = []));

  it('keeps one producer while its sends succeed', async () => {
    const { slot, reasons } = slotOf([{ send: () => Promise.resolve('sent') }]);
    await slot.connect();
    expect(await slot.use((p) => p.send())).toBe('sent');
    expect(await slot.use((p) => p.send())).toBe('sent');
    expect(FakeProducer.made).toHaveLength(1);
    expect(reasons).toEqual([]);
  });

  it('fails a send that never finishes at the deadline and uses a new producer next time', async () => {
    const { slot, reasons } = slotOf([{ send: never }, { send: () => Promise.resolve('second') }]);
    await expect(slot.use((p) => p.send())).rejects.toBeInstanceOf(SendDeadlineExceeded);
    expect(reasons).toEqual(['SendDeadlineExceeded: a send to the broker did not finish in 50 ms']);
    expect(await slot.use((p) => p.send())).toBe('second');
    expect(FakeProducer.made).toHaveLength(2);
    await new Promise((r) => setImmediate(r));
    expect(FakeProducer.made[0].disconnected).toBe(true);
    expect(FakeProducer.made[1].disconnected).toBe(false);
  });

  it('replaces the producer after a failed send, passing the error on', async () => {
    const { slot, reasons } = slotOf([
      { send: () => Promise.reject(new Error('This server does not host this topic-partition')) },
      { send: () => Promise.resolve('again') },
    ]);
    await expect(slot.use((p) => p.send())).rejects.toThrow('does not host');
    expect(reasons).toEqual(['Error: This server does not host this topic-partition']);
    expect(await slot.use((p) => p.send())).toBe('again');
  });

  it('connects anew after a failed or overdue connect', async () => {
    const { slot } = slotOf([
      { connect: () => Promise.reject(new Error('ECONNREFUSED')), send: () => Promise.resolve('x') },
      { connect: never, send: () => Promise.resolve('y') },
      { send: () => Promise.resolve('z') },
    ]);
    await expect(slot.connect()).rejects.toThrow('ECONNREFUSED');
    await expect(slot.use((p) => p.send())).rejects.toBeInstanceOf(SendDeadlineExceeded);
    expect(await slot.use((p) => p.send())).toBe('z');
    expect(FakeProducer.made).toHaveLength(3);
  });

  it('two sends that fail together replace the producer once', async () => {
    const { slot, reasons } = slotOf([
      { send: () => Promise.reject(new Error('gone')) },
      { send: () => Promise.resolve('n') },
    ]);
    await slot.connect();
    const results = await Promise.allSettled([slot.use((p) => p.send()), slot.use((p) => p.send())]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(reasons).toHaveLength(1);
    expect(await slot.use((p) => p.send())).toBe('n');
    expect(FakeProducer.made).toHaveLength(2);
  });

  it('disconnects on stop and refuses sends afterwards', async () => {
    const { slot } = slotOf([{ send: () => Promise.resolve('s') }]);
    await slot.connect();
    await slot.stop();
    expect(FakeProducer.made[0].disconnected).toBe(true);
    await expect(slot.use((p) => p.send())).rejects.toThrow('stopped');
  });
});
