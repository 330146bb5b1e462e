import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ConsumerGroups, ListEntryChangedData, ListEntryEvents } from '@jrp/contracts';
import { BatchConsumerContext, ConsumesEvents } from '@jrp/messaging';
import { MatchingService } from './matching.service';

/** Where a list entry becomes tasks: list-entry changes, a batch at a time, matched against the catalogue. */
@Controller()
export class ListEntryHandler {
  constructor(private readonly matching: MatchingService) {}

  // the task events of an entry are keyed by its id: each carries the correlation id of its entry's change
  @ConsumesEvents(Object.values(ListEntryEvents), ConsumerGroups.Measures, {
    batch: true,
    correlateBy: (entry: ListEntryChangedData) => entry.entryId,
  })
  async onListEntriesChanged(
    @Payload() entries: ListEntryChangedData[],
    @Ctx() ctx: BatchConsumerContext,
  ): Promise<void> {
    await this.matching.reconcile(entries.map((entry, i) => ({ entry, eventType: ctx.events[i].type })));
  }
}
