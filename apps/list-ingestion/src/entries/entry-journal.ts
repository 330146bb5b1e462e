import { Injectable } from '@nestjs/common';
import { AuditEntry, AuditRecorder } from '@jrp/audit';
import { Principal } from '@jrp/auth';
import { eventIdOf, ListEntryChangedData, ListEntryEvents } from '@jrp/contracts';
import { OutboxService, OutgoingEvent } from '@jrp/messaging';
import { Entry } from './entry';
import { EntryHistoryRepository, EntryHistoryRow } from './entry-history.repository';
import { ListEntriesRepository } from './list-entries.repository';

/** Who made a change: a caller, or jrp itself (expiry). */
export type Actor = Principal | 'system';

export interface EntryChange {
  /** The entry after the change, its version already incremented. */
  entry: Entry;
  type: (typeof ListEntryEvents)[keyof typeof ListEntryEvents];
  /** What happened, as the history shows it: `listed`, `move-to-watch`, `updated`, `expired` … */
  action: string;
  reason: string | null;
  at: Date;
  details?: Record<string, unknown>;
}

/** The event a change announces: the entry's whole state after it (event-carried state). */
export function eventDataOf(change: EntryChange): ListEntryChangedData {
  const e = change.entry;
  return {
    entryId: e.id,
    version: e.version,
    listType: e.listType,
    status: e.status,
    disputed: e.disputed,
    subjectKey: e.subjectKey,
    subject: {
      kind: e.subjectKind,
      name: e.subjectName,
      ...(e.subjectUscc ? { uscc: e.subjectUscc } : {}),
      ...(e.subjectIdNumberEncrypted
        ? {
            idType: e.subjectIdType ?? 'resident-id',
            idNumberEncrypted: e.subjectIdNumberEncrypted,
            idNumberMasked: e.subjectIdNumberMasked!,
          }
        : {}),
      ...(e.legalRepName
        ? {
            legalRepresentative: {
              name: e.legalRepName,
              ...(e.legalRepIdNumberEncrypted
                ? {
                    idType: e.legalRepIdType ?? 'resident-id',
                    idNumberEncrypted: e.legalRepIdNumberEncrypted,
                    idNumberMasked: e.legalRepIdNumberMasked!,
                  }
                : {}),
            },
          }
        : {}),
    },
    reason: e.reason,
    decidedBy: e.decidedBy,
    identificationLevel: e.identificationLevel,
    documentNo: e.documentNo,
    amount: e.amount,
    listedAt: e.listedAt,
    validUntil: e.validUntil,
    region: e.region,
    publishedBy: e.publishedBy,
    changedAt: change.at.toISOString(),
    changeReason: change.reason,
    commitmentRecorded: e.commitment !== null,
    trainingRecorded: e.training !== null,
    // graded entries only: an ungraded entry's events stay as they were
    ...(e.grade ? { grade: e.grade } : {}),
    ...(e.publicUntil ? { publicUntil: e.publicUntil } : {}),
    ...(e.repairableFrom ? { repairableFrom: e.repairableFrom } : {}),
    // notice-first entries only (告知, 陈述申辩): a directly listed entry's events stay as they were
    ...(e.statementDeadline ? { statementDeadline: e.statementDeadline, statementRecorded: e.statement !== null } : {}),
  };
}

/**
 * Every change of an entry goes through here, in the transaction that wrote it: its history row
 * (who, when, why), its event in the outbox (keyed by the subject, so one subject's changes stay in
 * order), and, for a caller's change, its audit record.
 */
@Injectable()
export class EntryJournal {
  constructor(
    private readonly history: EntryHistoryRepository,
    private readonly entries: ListEntriesRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditRecorder,
  ) {}

  /** Records changes in the transaction open here (the caller's unit of work). */
  async record(changes: EntryChange[], actor: Actor): Promise<void> {
    if (changes.length === 0) return;
    await this.history.append(changes.map((c) => historyOf(c, actor)));
    const events = changes.map(eventOf);
    if (actor === 'system') await this.outbox.append(events);
    // a caller's change: its audit records travel with its events (one outbox append)
    else await this.audit.recordWithEvents(changes.map(auditEntryOf), events);
  }

  /**
   * Inserts a caller's new entry (`listedChange`) and records it — its history row, its event, its audit
   * record — in one statement, atomic on its own: one round trip, no transaction needed. False when its
   * identity (list type, subject, document number) is taken: then nothing was written, and the caller
   * decides under the stored entry's lock (`lockByIdentity`).
   */
  async insertListed(change: EntryChange, actor: Principal): Promise<boolean> {
    const events = this.audit.withRecords([auditEntryOf(change)], [eventOf(change)]);
    const inserted = await this.entries.insertJournalled(change.entry, historyOf(change, actor), (params, condition) =>
      this.outbox.appendCtes(events, params, condition),
    );
    if (inserted) this.outbox.appended();
    return inserted;
  }
}

function historyOf(c: EntryChange, actor: Actor): EntryHistoryRow {
  return {
    entryId: c.entry.id,
    version: c.entry.version,
    action: c.action,
    status: c.entry.status,
    reason: c.reason,
    details: c.details ?? null,
    at: c.at,
    byOrganization: actor === 'system' ? 'JRP' : actor.organization.code,
    byToken: actor === 'system' ? 'system' : actor.tokenId,
  };
}

function eventOf(c: EntryChange): OutgoingEvent<ListEntryChangedData> {
  return {
    id: eventIdOf('list-entry', c.entry.id, c.entry.version, c.type),
    type: c.type,
    key: c.entry.subjectKey,
    subject: `entries/${c.entry.id}`,
    data: eventDataOf(c),
    time: c.at,
  };
}

const auditEntryOf = (c: EntryChange): AuditEntry => ({
  action: `list-entry.${c.action}`,
  objectType: 'list-entry',
  objectId: c.entry.id,
});
