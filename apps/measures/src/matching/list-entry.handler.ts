import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ConsumerGroups, ListEntryChangedData, ListEntryEvents } from '@jrp/contracts';
import { ConsumerContext, ConsumesEvents } from '@jrp/messaging';
import { MatchingService } from './matching.service';

/** Where a list entry becomes tasks: every list-entry change is matched against the catalogue. */
@Controller()
export class ListEntryHandler {
  constructor(private readonly matching: MatchingService) {}

  @ConsumesEvents(Object.values(ListEntryEvents), ConsumerGroups.Measures)
  async onListEntryChanged(@Payload() entry: ListEntryChangedData, @Ctx() ctx: ConsumerContext): Promise<void> {
    await this.matching.reconcile(ctx.manager, ctx.outbox, entry, ctx.event.type);
  }
}
