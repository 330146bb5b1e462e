import { HttpException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditRecorder } from '@jrp/audit';
import { taskIdOf } from '@jrp/contracts';
import { PersonalData } from '@jrp/crypto';
import { todayInShanghai } from '@jrp/domain';
import { UnitOfWork } from '@jrp/messaging';
import { CatalogueRepository } from '../catalogue/catalogue.repository';
import { CatalogueMeasure } from '../matching/match-measures';
import { ReassignmentsRepository } from '../matching/reassignments.repository';
import { TaskStateService } from '../tasks/state/task-state.service';
import { batchRowOf, BatchRow, BatchSubjectInput, MAX_BATCH_SUBJECTS } from './batch-rows';
import { BatchSheetRow } from './batch-file';
import { answerCheck, CheckAnswer, isReported, SubjectEntry } from './check-answer';
import { CheckRecord, ChecksRepository } from './checks.repository';
import { BatchCheckResultView, BatchCheckRowView } from './dto/batch-check.dto';
import { checkResultOf } from './check-view';

/** Batches one organisation may have running at once; another: 429. */
export const BATCHES_PER_ORGANIZATION = 1;

/**
 * Batch comparison (批量比对): up to 10,000 subjects checked as single checks are, set-based: one lookup
 * for all keys, the catalogue read once per list type, the checks written with multi-row inserts, one
 * audit record for the batch, and each standing task of the caller linked to the business (its
 * reference) once, by the first row that found it (a `checked` change, as single checks add).
 */
@Injectable()
export class BatchChecksService {
  private readonly running = new Map<string, number>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly personalData: PersonalData,
    private readonly catalogue: CatalogueRepository,
    private readonly checks: ChecksRepository,
    private readonly reassignments: ReassignmentsRepository,
    private readonly taskState: TaskStateService,
    private readonly audit: AuditRecorder,
  ) {}

  async batch(
    inputs: BatchSubjectInput[],
    businessType: string,
    reference: string,
    organization: string,
    now = new Date(),
  ): Promise<BatchCheckResultView> {
    if (inputs.length > MAX_BATCH_SUBJECTS)
      throw new HttpException(
        {
          detail: `一次最多比对 ${MAX_BATCH_SUBJECTS} 个主体（本次 ${inputs.length} 个），请分批提交`,
          errors: [{ field: 'subjects', message: `must hold at most ${MAX_BATCH_SUBJECTS} subjects` }],
        },
        413,
      );
    const running = this.running.get(organization) ?? 0;
    if (running >= BATCHES_PER_ORGANIZATION)
      throw new HttpException({ detail: '本单位已有批量比对正在进行，请待其完成后再提交' }, 429);
    this.running.set(organization, running + 1);
    try {
      return await this.run(inputs, businessType, reference, organization, now);
    } finally {
      const left = (this.running.get(organization) ?? 1) - 1;
      if (left > 0) this.running.set(organization, left);
      else this.running.delete(organization);
    }
  }

  private async run(
    inputs: BatchSubjectInput[],
    businessType: string,
    reference: string,
    organization: string,
    now: Date,
  ): Promise<BatchCheckResultView> {
    const today = todayInShanghai(now);
    const checkedAt = now.toISOString();
    const batchId = randomUUID();
    const rows: (BatchRow & { key?: string; checkId?: string })[] = inputs.map((input, i) => {
      const row: BatchRow & { key?: string; checkId?: string } = batchRowOf(input, i + 1, now);
      if ('subject' in row) {
        row.key = this.personalData.subjectKey(row.subject.kind, row.subject.identifier);
        row.checkId = randomUUID();
      }
      return row;
    });
    const keys = [...new Set(rows.flatMap((r) => (r.key ? [r.key] : [])))];
    const found = keys.length ? await this.checks.entriesOfKeys(keys) : [];
    const keySet = new Set(keys);
    const byKey = new Map<string, SubjectEntry[]>();
    for (const { subjectKey, representativeKey, ...entry } of found) {
      if (keySet.has(subjectKey)) push(byKey, subjectKey, { ...entry, foundAs: 'subject' });
      if (representativeKey !== null && keySet.has(representativeKey))
        push(byKey, representativeKey, { ...entry, foundAs: 'legal-representative' });
    }

    return this.uow.run(async () => {
      const inForce = found.filter((e) => e.status === 'active' && isReported({ ...e, foundAs: 'subject' }, today));
      const catalogue = new Map<string, CatalogueMeasure[]>();
      for (const listType of new Set(inForce.map((e) => e.listType)))
        catalogue.set(listType, await this.catalogue.measuresForMatching(listType));
      const reassignments = await this.reassignments.ofEntries([...new Set(inForce.map((e) => e.entryId))]);
      const answers = new Map<string, CheckAnswer>();
      for (const key of keys)
        answers.set(key, answerCheck(byKey.get(key) ?? [], organization, today, catalogue, reassignments));
      const details = await this.checks.measureDetails([
        ...new Set([...answers.values()].flatMap((a) => a.measures.map((m) => m.id))),
      ]);

      const wanted = [...new Set([...answers.values()].flatMap((a) => a.linkable.map((e) => e.entryId)))];
      const standing = await this.checks.lockStanding(
        wanted.map((entryId) => taskIdOf(entryId, organization)),
        organization,
      );
      const taskOfEntry = new Map(standing.map((t) => [t.entryId, t.id]));
      const records: CheckRecord[] = [];
      const links = new Map<string, string>(); // task → the first row's check that found it
      const taskIdsOf = new Map<string, string[]>();
      for (const row of rows) {
        if (!row.key) continue;
        const answer = answers.get(row.key)!;
        const taskIds = answer.linkable.flatMap((e) =>
          taskOfEntry.has(e.entryId) ? [taskOfEntry.get(e.entryId)!] : [],
        );
        taskIdsOf.set(row.checkId!, taskIds);
        for (const t of taskIds) if (!links.has(t)) links.set(t, row.checkId!);
        const subject = (row as Extract<BatchRow, { subject: unknown }>).subject;
        records.push({
          id: row.checkId!,
          organization,
          subjectKind: subject.kind,
          idType: subject.idType,
          subjectKey: row.key,
          businessType,
          reference,
          listed: answer.listed,
          entryIds: answer.entries.map((e) => e.entryId),
          taskIds,
          checkedAt,
        });
      }
      await this.checks.insertChecks(records);
      const claimed = await this.checks.link(
        [...links].map(([taskId, checkId]) => ({ taskId, checkId })),
        reference,
      );
      await this.audit.record({ action: 'subject.check-batch', objectType: 'check-batch', objectId: batchId });
      // last: a task change takes the feed's lock, held until the commit
      for (const taskId of claimed.sort()) {
        await this.taskState.recordCheck(taskId, organization, {
          checkId: links.get(taskId)!,
          businessType,
          reference,
          checkedAt,
        });
      }
      const results: BatchCheckRowView[] = rows.map((row) => {
        const base = { row: row.row, ...(row.name ? { name: row.name } : {}), subject: row.display };
        if (!row.key)
          return {
            ...base,
            checked: false,
            field: (row as { field: string }).field,
            reason: (row as { reason: string }).reason,
          };
        return {
          ...base,
          checked: true,
          ...checkResultOf(row.checkId!, checkedAt, answers.get(row.key)!, details, taskIdsOf.get(row.checkId!)!),
        };
      });
      return {
        batchId,
        checkedAt,
        total: rows.length,
        checked: records.length,
        listed: results.filter((r) => r.listed).length,
        unchecked: rows.length - records.length,
        results,
      };
    });
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The batch's answer as rows of the downloadable workbook. */
export function batchSheetRows(view: BatchCheckResultView): BatchSheetRow[] {
  return view.results.map((r) => ({
    row: r.row,
    name: r.name ?? null,
    subject: r.subject,
    result: !r.checked ? '无法比对' : r.listed ? '在列' : (r.entries ?? []).length ? '重点关注' : '未列入',
    lists: (r.entries ?? [])
      .map(
        (e) => `${e.listTypeName}（${e.statusLabel}${e.foundAs === 'legal-representative' ? '，作为法定代表人' : ''}）`,
      )
      .join('；'),
    measures: (r.measures ?? []).map((m) => `${m.id} ${m.text}`).join('；'),
    withheld: (r.withheldFacilitations ?? []).map((f) => f.label).join('；'),
    reason: r.reason ?? '',
  }));
}
