import { Injectable, NotFoundException } from '@nestjs/common';
import { entryAccess, entryScopeOf, hasRole, Principal } from '@jrp/auth';
import { PersonalData } from '@jrp/crypto';
import { GRADE_LABELS } from '@jrp/contracts';
import { isValidUscc, todayInShanghai } from '@jrp/domain';
import { decodeSeqCursor, encodeCursor } from '@jrp/http';
import { AuditRecorder } from '@jrp/audit';
import { Entry, LEVEL_LABELS, STATUS_LABELS } from '../entries/entry';
import { ListEntriesRepository } from '../entries/list-entries.repository';
import { EntriesQueryDto, PublicQueryDto } from './dto/entries-query.dto';
import { EntriesQueriesRepository } from './entries-queries.repository';

/** An entry as the API shows it: ID numbers masked, labels in Chinese beside the codes. */
export function entryView(e: Entry) {
  return {
    id: e.id,
    version: e.version,
    listType: e.listType,
    status: e.status,
    statusLabel: STATUS_LABELS[e.status],
    disputed: e.disputed,
    ...(e.disputed ? { disputedLabel: '异议处理中' } : {}),
    subject: {
      kind: e.subjectKind,
      name: e.subjectName,
      ...(e.subjectUscc ? { uscc: e.subjectUscc } : {}),
      ...(e.subjectIdNumberMasked ? { idType: e.subjectIdType, idNumber: e.subjectIdNumberMasked } : {}),
      ...(e.legalRepName
        ? {
            legalRepresentative: {
              name: e.legalRepName,
              ...(e.legalRepIdNumberMasked ? { idType: e.legalRepIdType, idNumber: e.legalRepIdNumberMasked } : {}),
            },
          }
        : {}),
    },
    reason: e.reason,
    decidedBy: e.decidedBy,
    identificationLevel: e.identificationLevel,
    identificationLevelLabel: LEVEL_LABELS[e.identificationLevel],
    documentNo: e.documentNo,
    listedAt: e.listedAt,
    validUntil: e.validUntil,
    amount: e.amount,
    region: e.region,
    publishedBy: e.publishedBy,
    commitment: e.commitment,
    training: e.training,
    grade: e.grade,
    ...(e.grade ? { gradeLabel: GRADE_LABELS[e.grade] } : {}),
    publicUntil: e.publicUntil,
    repairableFrom: e.repairableFrom,
    // notice before listing (告知, 陈述申辩): null on entries listed directly
    notice: e.notice,
    statementDeadline: e.statementDeadline,
    statement: e.statement,
    decision: e.decision,
    // a noticed entry past its statement period waits for its department's decision (逾期未决定)
    ...(e.status === 'noticed' ? { decisionOverdue: e.statementDeadline! < todayInShanghai() } : {}),
  };
}

/** Reads of entries: one, a filtered list (office), an entry's history, a subject's file, the public list. */
@Injectable()
export class EntriesQueries {
  constructor(
    private readonly entries: ListEntriesRepository,
    private readonly reads: EntriesQueriesRepository,
    private readonly personalData: PersonalData,
    private readonly audit: AuditRecorder,
  ) {}

  /** A publisher sees the entries it published; the office (a city office: its city's) and the admin all. Others: 404. */
  async visible(id: string, principal: Principal): Promise<Entry> {
    const entry = await this.entries.find(id);
    if (!entry || (!hasRole(principal, 'office', 'admin') && entry.publishedBy !== principal.organization.code))
      throw new NotFoundException('no such list entry');
    if (entryAccess(entryScopeOf(principal), entry, 'read') === 'not-found')
      throw new NotFoundException('no such list entry');
    return entry;
  }

  async get(id: string, principal: Principal) {
    const entry = await this.visible(id, principal);
    await this.audit.recordRead({ action: 'list-entry.read', objectType: 'list-entry', objectId: id });
    return entryView(entry);
  }

  async history(id: string, principal: Principal) {
    await this.visible(id, principal);
    const rows = await this.reads.history(id);
    await this.audit.recordRead({
      action: 'list-entry.read-history',
      objectType: 'list-entry',
      objectId: id,
    });
    return {
      items: rows.map((row) => ({ ...row, at: row.at.toISOString(), recordedAt: row.recordedAt.toISOString() })),
    };
  }

  /** The subject key of a USCC or an ID number typed in a search or a URL. */
  private keysOf(identifier: string): string[] {
    const value = identifier.trim().toUpperCase();
    return isValidUscc(value)
      ? [this.personalData.subjectKey('legal', value)]
      : [this.personalData.subjectKey('natural', value)];
  }

  /** The office's search; a city office's covers its city only. */
  async list(q: EntriesQueryDto, principal: Principal) {
    const after = decodeSeqCursor(q.after);
    const limit = q.limit ?? 50;
    const looksLikeIdentifier = q.q !== undefined && /^[0-9A-Za-z]{15,18}$/.test(q.q.trim());
    const subjectKeys = looksLikeIdentifier ? this.keysOf(q.q!) : [];
    const rows = await this.reads.list(
      after,
      {
        city: entryScopeOf(principal).city ?? null,
        listType: q.listType ?? null,
        status: q.status ?? null,
        region: q.region ?? null,
        q: q.q ?? null,
        subjectKeys,
      },
      limit,
    );
    // a search by USCC or ID number is a read of that subject's data, found or not (the key, never the number)
    if (subjectKeys.length > 0) {
      await this.audit.recordRead({ action: 'subject.search', objectType: 'subject', objectId: subjectKeys[0] });
    }
    return this.page(rows, entryView, after);
  }

  /**
   * A subject's credit file (信用档案): its entries and their repair history. A read of personal data.
   * A city office sees only the entries in its city; with none there, the subject is not found.
   */
  async subjectFile(identifier: string, principal: Principal) {
    const keys = this.keysOf(identifier);
    const rows = await this.reads.bySubjectKeys(keys, entryScopeOf(principal).city ?? null);
    if (rows.length === 0) throw new NotFoundException('no entry for this subject');
    const repairs = await this.reads.repairs(rows.map((r) => r.id));
    await this.audit.recordRead({
      action: 'subject.read-credit-file',
      objectType: 'subject',
      objectId: rows[0].subjectKey,
    });
    return {
      subject: entryView(rows[0]).subject,
      entries: rows.map(entryView),
      repairs: repairs.map((row) => ({ ...row, at: row.at.toISOString() })),
    };
  }

  /** What the public may see (信用中国 style): active entries, ID numbers masked, nothing expired or removed. */
  async publicList(q: PublicQueryDto) {
    const after = decodeSeqCursor(q.after);
    const uscc = q.q && isValidUscc(q.q.trim().toUpperCase()) ? q.q.trim().toUpperCase() : null;
    const rows = await this.reads.publicList(
      after,
      q.listType ?? null,
      uscc ?? q.q ?? null,
      Boolean(uscc),
      q.limit ?? 20,
      todayInShanghai(),
    );
    return this.page(
      rows,
      (e) => {
        const {
          id,
          listType,
          subject,
          reason,
          decidedBy,
          documentNo,
          listedAt,
          validUntil,
          region,
          disputed,
          grade,
          gradeLabel,
          publicUntil,
        } = entryView(e);
        const { legalRepresentative, ...publicSubject } = subject as typeof subject & {
          legalRepresentative?: { name: string };
        };
        return {
          id,
          listType,
          subject: {
            ...publicSubject,
            ...(legalRepresentative ? { legalRepresentative: { name: legalRepresentative.name } } : {}),
          },
          reason,
          decidedBy,
          documentNo,
          listedAt,
          validUntil,
          region,
          disputed,
          ...(grade ? { grade, gradeLabel, publicUntil } : {}),
        };
      },
      after,
    );
  }

  private page<T>(rows: Entry[], view: (e: Entry) => T, after: string) {
    const items = rows.map((r) => ({ cursor: encodeCursor(r.seq!), ...view(r) }));
    return { items, next: rows.length ? encodeCursor(rows[rows.length - 1].seq!) : encodeCursor(after) };
  }
}
