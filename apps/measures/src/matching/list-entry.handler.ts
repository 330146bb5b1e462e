import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ConsumerGroups, ListEntryChangedData, ListEntryEvents } from '@jrp/contracts';
import { BatchConsumerContext, ConsumesEvents } from '@jrp/messaging';
import { MatchingService } from './matching.service';

/** Where a list entry becomes tasks: list-entry changes, a batch at a time, matched against the catalogue. */
@Controller()
export class ListEntryHandler {
  constructor(private readonly matching: MatchingService) {}

  @ConsumesEvents(Object.values(ListEntryEvents), ConsumerGroups.Measures, { batch: true })
  async onListEntriesChanged(@Payload() entries: ListEntryChangedData[], @Ctx() ctx: BatchConsumerContext): Promise<void> {
    await this.matching.reconcile(ctx.manager, ctx.outbox, entries.map((entry, i) => ({ entry, eventType: ctx.events[i].type })));
  }
}
