import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '@jrp/auth';
import type { SubjectKind } from '@jrp/contracts';

export interface EntryRow {
  id: string;
  version: number;
  listType: string;
  status: string;
  subjectKey: string;
  subjectKind: SubjectKind;
  subjectName: string;
  subjectUscc: string | null;
  subjectIdNumberEncrypted: string | null;
  subjectIdNumberMasked: string | null;
  legalRepName: string | null;
  legalRepIdNumberEncrypted: string | null;
  legalRepIdNumberMasked: string | null;
  reason: string;
  decidedBy: string;
  documentNo: string;
  listedAt: string;
  validUntil: string | null;
  region: string;
  publishedBy: string;
}

const COLUMNS = `id, version, list_type AS "listType", status, subject_key AS "subjectKey", subject_kind AS "subjectKind",
  subject_name AS "subjectName", subject_uscc AS "subjectUscc", subject_id_number_encrypted AS "subjectIdNumberEncrypted",
  subject_id_number_masked AS "subjectIdNumberMasked", legal_rep_name AS "legalRepName",
  legal_rep_id_number_encrypted AS "legalRepIdNumberEncrypted", legal_rep_id_number_masked AS "legalRepIdNumberMasked",
  reason, decided_by AS "decidedBy",
  document_no AS "documentNo", to_char(listed_at, 'YYYY-MM-DD') AS "listedAt", to_char(valid_until, 'YYYY-MM-DD') AS "validUntil",
  region, published_by AS "publishedBy"`;

const STATUS_LABELS: Record<string, string> = { active: '列入', watch: '重点关注', removed: '已移出', expired: '已到期' };

@Injectable()
export class ListEntriesRepository {
  constructor(@InjectDataSource('list-ingestion') private readonly dataSource: DataSource) {}

  async listType(m: EntityManager, code: string): Promise<{ identifyingOrganization: string; subjectKinds: SubjectKind[] } | undefined> {
    const [row] = await m.query(
      `SELECT identifying_organization AS "identifyingOrganization", subject_kinds AS "subjectKinds" FROM known_list_types WHERE code = $1`,
      [code],
    );
    return row;
  }

  async findByIdentity(m: EntityManager, listType: string, subjectKey: string, documentNo: string): Promise<EntryRow | undefined> {
    const [row] = await m.query(`SELECT ${COLUMNS} FROM list_entries WHERE list_type = $1 AND subject_key = $2 AND document_no = $3`, [
      listType, subjectKey, documentNo,
    ]);
    return row;
  }

  async find(id: string): Promise<EntryRow | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM list_entries WHERE id = $1`, [id]);
    return row;
  }

  async lock(m: EntityManager, id: string): Promise<EntryRow | undefined> {
    const [row] = await m.query(`SELECT ${COLUMNS} FROM list_entries WHERE id = $1 FOR UPDATE`, [id]);
    return row;
  }

  /** Inserts a new entry; false when the same (list type, subject, document number) already exists. */
  async insert(m: EntityManager, r: EntryRow): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO list_entries (id, version, list_type, status, subject_key, subject_kind, subject_name, subject_uscc,
         subject_id_number_encrypted, subject_id_number_masked, legal_rep_name, legal_rep_id_number_encrypted,
         legal_rep_id_number_masked, reason, decided_by, document_no, listed_at, valid_until, region, published_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (list_type, subject_key, document_no) DO NOTHING RETURNING id`,
      [r.id, r.version, r.listType, r.status, r.subjectKey, r.subjectKind, r.subjectName, r.subjectUscc, r.subjectIdNumberEncrypted,
        r.subjectIdNumberMasked, r.legalRepName, r.legalRepIdNumberEncrypted, r.legalRepIdNumberMasked, r.reason, r.decidedBy,
        r.documentNo, r.listedAt, r.validUntil, r.region, r.publishedBy],
    );
    return rows.length === 1;
  }

  async updateStatus(m: EntityManager, r: EntryRow, at: Date): Promise<void> {
    await m.query(
      `UPDATE list_entries SET status = $2, version = $3, removed_at = CASE WHEN $2 = 'removed' THEN $4 ELSE removed_at END,
         updated_at = now() WHERE id = $1`,
      [r.id, r.status, r.version, at],
    );
  }

  async addHistory(m: EntityManager, r: EntryRow, action: string, reason: string, at: Date, principal: Principal): Promise<void> {
    await m.query(
      `INSERT INTO list_entry_history (entry_id, version, action, reason, at, by_organization, by_token) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [r.id, r.version, action, reason, at, principal.organization.code, principal.tokenId],
    );
  }

  /** The entry as the API shows it: personal ID numbers masked. */
  publicView(r: EntryRow): Record<string, unknown> {
    return {
      id: r.id,
      version: r.version,
      listType: r.listType,
      status: r.status,
      statusLabel: STATUS_LABELS[r.status],
      subject: {
        kind: r.subjectKind,
        name: r.subjectName,
        ...(r.subjectUscc ? { uscc: r.subjectUscc } : {}),
        ...(r.subjectIdNumberMasked ? { idNumber: r.subjectIdNumberMasked } : {}),
        ...(r.legalRepName ? { legalRepresentative: { name: r.legalRepName, idNumber: r.legalRepIdNumberMasked } } : {}),
      },
      reason: r.reason,
      decidedBy: r.decidedBy,
      documentNo: r.documentNo,
      listedAt: r.listedAt,
      validUntil: r.validUntil,
      region: r.region,
      publishedBy: r.publishedBy,
    };
  }
}
