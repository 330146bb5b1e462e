import { ConflictException, Injectable } from '@nestjs/common';
import { AuditRecorder } from '@jrp/audit';
import { Principal } from '@jrp/auth';
import { CatalogueCopyRepository } from '../catalogue-copy/catalogue-copy.repository';
import { ListEntriesRepository } from '../entries/list-entries.repository';
import { EntriesQueries } from '../queries/entries.queries';
import { ListingDecision, listingDecision } from './listing-decision';

/**
 * The listing decision document of an entry (列入决定书): readable by the entry's publisher and the office
 * (a city office: its city's), others 404; each read audited as a read of personal data.
 */
@Injectable()
export class ListingDecisionService {
  constructor(
    private readonly queries: EntriesQueries,
    private readonly entries: ListEntriesRepository,
    private readonly copy: CatalogueCopyRepository,
    private readonly audit: AuditRecorder,
  ) {}

  async decision(id: string, principal: Principal): Promise<ListingDecision> {
    const entry = await this.queries.visible(id, principal);
    const listType = (await this.entries.listType(entry.listType))!;
    const measures = await this.copy.measuresFollowing(entry.listType, entry.region);
    const doc = listingDecision({
      entry,
      listType,
      measures: measures.map((m) => ({ code: m.code, text: m.text, kind: m.kind, implementers: m.implementers })),
      decidingOrganizationName: await this.copy.organizationName(entry.decision?.by ?? entry.publishedBy),
    });
    if ('refused' in doc) throw new ConflictException(doc.refused);
    await this.audit.recordRead({ action: 'list-entry.read-decision', objectType: 'list-entry', objectId: id });
    return doc;
  }
}
