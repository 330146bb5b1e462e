import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal } from '@jrp/auth';
import { AuditRecorder } from '@jrp/audit';
import { redactIdNumbers } from '@jrp/crypto';
import { todayInShanghai, isCalendarDate } from '@jrp/domain';
import { decodeSeqCursor, encodeCursor, FieldError, FieldValidationException } from '@jrp/http';
import { UnitOfWork } from '@jrp/messaging';
import { Clock } from '../clock';
import { cityOf } from '../statistics/regions';
import { upsertSums } from '../statistics/task-statistics';
import { CasesQueryDto, PublicCasesQueryDto, RecordCaseDto } from './dto/case.dto';
import { maskPersonalData } from './personal-data-mask';

const COLUMNS = `c.seq, c.id, c.task_id AS "taskId", c.organization, o.name AS "organizationName", c.list_type AS "listType", lt.name AS "listTypeName",
  c.measure_ids AS "measureIds", c.memoranda, c.title, to_char(c.occurred_on, 'YYYY-MM-DD') AS "occurredAt", c.region, c.city, c.description, c.effect,
  c.publishable, c.recorded_at AS "recordedAt"`;
const FROM = `cases c LEFT JOIN known_organizations o ON o.code = c.organization LEFT JOIN known_list_types lt ON lt.code = c.list_type`;

type CaseRow = Record<string, unknown> & { seq: string };

/**
 * Cases (联合奖惩案例): recorded by the implementing organisation on one of its tasks, read by the office
 * (a city office: its city's) and by their organisation; the publishable ones are public, masked.
 * Counted in case_rollup (and per memorandum) in the transaction that records them.
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditRecorder,
    private readonly clock: Clock,
    @InjectDataSource('feedback') private readonly dataSource: DataSource,
  ) {}

  async record(dto: RecordCaseDto, principal: Principal) {
    return this.uow.run(async (m) => {
      const [task] = await m.query<{ id: string; organization: string; listType: string; measureIds: string[] }[]>(
        `SELECT id, organization, list_type AS "listType", measure_ids AS "measureIds" FROM known_tasks WHERE id = $1`,
        [dto.taskId],
      );
      if (!task || task.organization !== principal.organization.code) throw new NotFoundException('no such task');
      const errors: FieldError[] = [];
      dto.measureIds.forEach((id, i) => {
        if (!task.measureIds.includes(id))
          errors.push({ field: `measureIds.${i}`, message: `${id} is not a measure of this task` });
        else if (dto.measureIds.indexOf(id) !== i) errors.push({ field: `measureIds.${i}`, message: 'appears twice' });
      });
      if (!isCalendarDate(dto.occurredAt)) errors.push({ field: 'occurredAt', message: 'is not a calendar date' });
      else if (dto.occurredAt > todayInShanghai(this.clock.now()))
        errors.push({ field: 'occurredAt', message: 'is in the future' });
      if (errors.length > 0) throw new FieldValidationException(errors);

      const memoranda = (
        await m.query<{ memorandum: string }[]>(
          `SELECT DISTINCT coalesce(km.memorandum, '') AS memorandum FROM unnest($1::text[]) x LEFT JOIN known_measures km ON km.code = x ORDER BY 1`,
          [dto.measureIds],
        )
      ).map((r) => r.memorandum);
      const id = randomUUID();
      const city = cityOf(dto.region);
      // feedback holds no ID number: any in the text is masked before it is stored
      await m.query(
        `INSERT INTO cases (id, task_id, organization, list_type, measure_ids, memoranda, title, occurred_on, region, city, description, effect, publishable,
           recorded_at, recorded_by_token)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          id,
          task.id,
          task.organization,
          task.listType,
          dto.measureIds,
          memoranda,
          redactIdNumbers(dto.title),
          dto.occurredAt,
          dto.region,
          city,
          redactIdNumbers(dto.description),
          redactIdNumbers(dto.effect),
          dto.publishable,
          this.clock.now(),
          principal.tokenId,
        ],
      );
      await upsertSums(
        m,
        'case_rollup',
        ['day', 'organization', 'list_type', 'city'],
        ['cases'],
        [{ key: [dto.occurredAt, task.organization, task.listType, city], values: [1] }],
      );
      await upsertSums(
        m,
        'case_memorandum_rollup',
        ['day', 'memorandum', 'organization', 'list_type', 'city'],
        ['cases'],
        memoranda.map((memo) => ({ key: [dto.occurredAt, memo, task.organization, task.listType, city], values: [1] })),
      );
      await this.audit.record({ action: 'case.record', objectType: 'case', objectId: id });
      const [row] = await m.query<CaseRow[]>(`SELECT ${COLUMNS} FROM ${FROM} WHERE c.id = $1`, [id]);
      return view(row);
    });
  }

  /** Cases the caller reaches: its own organisation's; the office every one (a city office: its city's). */
  async list(q: CasesQueryDto, principal: Principal) {
    const office = principal.roles.includes('office');
    const where = ['c.seq > $1'];
    const values: unknown[] = [decodeSeqCursor(q.after)];
    const param = (v: unknown) => `$${values.push(v)}`;
    if (!office) where.push(`c.organization = ${param(principal.organization.code)}`);
    else if (principal.organization.level === 'city') where.push(`c.city = ${param(principal.organization.region)}`);
    if (office && q.organization) where.push(`c.organization = ${param(q.organization)}`);
    if (q.city) where.push(`c.city = ${param(q.city)}`);
    if (q.from) where.push(`c.occurred_on >= ${param(q.from)}`);
    if (q.to) where.push(`c.occurred_on <= ${param(q.to)}`);
    if (q.publishable) where.push(`c.publishable = ${param(q.publishable === 'true')}`);
    const rows: CaseRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where.join(' AND ')} ORDER BY c.seq LIMIT ${param(q.limit ?? 100)}`,
      values,
    );
    return {
      items: rows.map(view),
      next: encodeCursor(rows.length ? rows[rows.length - 1].seq : (values[0] as string)),
    };
  }

  /** 案例公示: publishable cases, personal data masked, without internal references. */
  async publicList(q: PublicCasesQueryDto) {
    const values: unknown[] = [decodeSeqCursor(q.after), q.city ?? null, q.limit ?? 50];
    const rows: CaseRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE c.publishable AND c.seq > $1 AND ($2::text IS NULL OR c.city = $2) ORDER BY c.seq LIMIT $3`,
      values,
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        title: maskPersonalData(r.title as string),
        occurredAt: r.occurredAt,
        region: r.region,
        organizationName: r.organizationName,
        listTypeName: r.listTypeName,
        description: maskPersonalData(r.description as string),
        effect: maskPersonalData(r.effect as string),
      })),
      next: encodeCursor(rows.length ? rows[rows.length - 1].seq : (values[0] as string)),
    };
  }
}

function view(row: CaseRow) {
  const { seq: _seq, recordedAt, ...rest } = row;
  return { ...rest, recordedAt: new Date(recordedAt as string).toISOString() };
}
