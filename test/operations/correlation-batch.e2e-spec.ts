import { Controller, INestApplication, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { eventIdOf, ListEntryChangedData, ListEntryEvents, TaskEvents } from '@jrp/contracts';
import { serviceDatabase } from '@jrp/database';
import { PlatformModule } from '@jrp/http';
import {
  connectConsumers,
  ConsumesEvents,
  EventBus,
  MessagingModule,
  MessagingTables1764300000000,
  OutboxService,
  startMessaging,
} from '@jrp/messaging';
import { cleanUp, SchemaProbe, testConfig, testEnvironment, uniquePrefix } from '@jrp/testing';
import { listed } from './support/dead-letters';

/** A set-based handler like matching: one call for the batch, an outgoing event keyed by each input's entry id. */
@Controller()
class BatchStandIn {
  constructor(private readonly outbox: OutboxService) {}

  @ConsumesEvents(ListEntryEvents.Listed, 'probe', {
    batch: true,
    correlateBy: (entry: ListEntryChangedData) => entry.entryId,
  })
  async onListed(@Payload() entries: ListEntryChangedData[]): Promise<void> {
    await this.outbox.append(
      entries.map((e) => ({
        id: eventIdOf('probe', e.entryId, 1, TaskEvents.Dispatched),
        type: TaskEvents.Dispatched,
        key: e.entryId,
        data: { entryId: e.entryId },
      })),
    );
  }
}

/**
 * A batch mixing the events of several requests is handled in one call, and each event it writes
 * carries the correlation id of the input event that caused it (an input without one starts a chain
 * with its own id).
 */
describe('correlation ids through a batch handler', () => {
  const env = testEnvironment(uniquePrefix('corrbatch'));
  let app: INestApplication;
  const db = new SchemaProbe(env.DATABASE_URL!, `${env.JRP_DB_SCHEMA_PREFIX}probe`);

  beforeAll(async () => {
    @Module({
      imports: [
        PlatformModule.forRoot(testConfig(env), { dataSources: ['probe'] }),
        serviceDatabase({
          name: 'probe',
          schema: () => `${env.JRP_DB_SCHEMA_PREFIX}probe`,
          migrations: [MessagingTables1764300000000],
        }),
        MessagingModule.forService({ service: 'probe', dataSource: 'probe' }),
      ],
      controllers: [BatchStandIn],
    })
    class ProbeModule {}
    app = (await Test.createTestingModule({ imports: [ProbeModule] }).compile()).createNestApplication({
      logger: false,
    });
    connectConsumers(app);
    await app.init();
    await startMessaging(app);
  });

  afterAll(async () => {
    await app?.close();
    await cleanUp(env);
  });

  it('stamps each outgoing event with its own input event’s correlation id', async () => {
    const inputs = ['req-aaaaaaaa', 'req-bbbbbbbb', undefined, 'req-aaaaaaaa'].map((correlationid) => {
      const e = listed('BL-COURT-DEBTOR');
      const value = JSON.parse(e.message.value);
      if (correlationid) value.correlationid = correlationid;
      return { ...e, correlationid, message: { ...e.message, value: JSON.stringify(value) } };
    });
    await app.get(EventBus).publish(inputs.map((i) => i.message)); // one batch
    const rows = await db.query<{ key: string; correlation: string | null }>(
      `SELECT key, envelope->>'correlationid' AS correlation FROM outbox`,
    );
    expect(new Map(rows.map((r) => [r.key, r.correlation]))).toEqual(
      new Map(inputs.map((i) => [i.entryId, i.correlationid ?? i.id])),
    );
  });
});
