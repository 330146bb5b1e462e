import { Injectable } from '@nestjs/common';
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
import { answerCheck, CheckAnswer, isReported } from './check-answer';
import { CheckIndex } from './check-index/check-index.service';
import { CheckRecorder } from './check-index/check-recorder';
import { ChecksRepository, MeasureDetails } from './checks.repository';
import { CheckDto, CheckResultView } from './dto/check.dto';
import { subjectIdentifierOf } from './subject-identifier';
import { checkResultOf } from './check-view';

/**
 * Counter checks (嵌入式联合奖惩): a department's business system asks whether a subject is listed and
 * which of its own measures apply, answered from measures' own tables. Every check is recorded with the
 * subject's keyed hash (the identifier itself is never kept); a check that finds the subject listed is
 * linked to the caller's standing task for each entry in force (a `checked` task change), once per
 * business reference, in the same transaction. measures keeps the audit trail: a check's audit record
 * is written with the check, in the same statement. A subject with no reported entry (the check index in
 * memory says so) is answered without reading the database, once its check and audit record are
 * committed by the group commit (CheckRecorder).
 */
@Injectable()
export class ChecksService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly personalData: PersonalData,
    private readonly catalogue: CatalogueRepository,
    private readonly checks: ChecksRepository,
    private readonly reassignments: ReassignmentsRepository,
    private readonly taskState: TaskStateService,
    private readonly audit: AuditRecorder,
    private readonly index: CheckIndex,
    private readonly recorder: CheckRecorder,
  ) {}

  async check(dto: CheckDto, organization: string, now = new Date()): Promise<CheckResultView> {
    const subject = subjectIdentifierOf(dto.subject);
    const subjectKey = this.personalData.subjectKey(subject.kind, subject.identifier);
    const today = todayInShanghai(now);
    const checkId = randomUUID();
    const checkedAt = now.toISOString();
    const check = {
      id: checkId,
      organization,
      subjectKind: subject.kind,
      idType: subject.idType,
      subjectKey,
      businessType: dto.businessType,
      reference: dto.reference,
      checkedAt,
    };
    const audit = this.audit.recordOf({ action: 'subject.check', objectType: 'check', objectId: checkId }, now);

    // no reported entry has the subject's key (most checks): answered from memory once recorded, with its
    // audit record, by the group commit of concurrent checks
    if (!this.index.mayBeListed(subjectKey)) {
      await this.recorder.record(check, audit);
      this.index.answered('memory');
      return this.view(checkId, checkedAt, answerCheck([], organization, today, new Map(), new Map()), new Map(), []);
    }
    this.index.answered('database');

    // no entry in force: answered and recorded, with its audit record, in one statement
    const { entries, recorded } = await this.checks.entriesOrRecord(check, today, audit);
    if (recorded)
      return this.view(
        checkId,
        checkedAt,
        answerCheck(entries, organization, today, new Map(), new Map()),
        new Map(),
        [],
      );

    // read committed: the entries read just before are as current as a read in the transaction would be
    return this.uow.run(async () => {
      const inForce = entries.filter((e) => e.status === 'active' && isReported(e, today));
      const catalogue = new Map<string, CatalogueMeasure[]>();
      for (const listType of new Set(inForce.map((e) => e.listType)))
        catalogue.set(listType, await this.catalogue.measuresForMatching(listType));
      const reassignments = await this.reassignments.ofEntries(inForce.map((e) => e.entryId));
      const answer = answerCheck(entries, organization, today, catalogue, reassignments);
      // each standing task is linked to this business once; an earlier check of the same reference holds the link already
      const { standing, claimed, details } = await this.checks.linkAndRecord(
        { ...check, listed: answer.listed, entryIds: answer.entries.map((e) => e.entryId) },
        answer.linkable.map((e) => taskIdOf(e.entryId, organization)),
        audit,
        answer.measures.map((x) => x.id),
      );
      // last: a task change takes the feed's lock, held until the commit
      for (const taskId of claimed) {
        await this.taskState.recordCheck(taskId, organization, {
          checkId,
          businessType: dto.businessType,
          reference: dto.reference,
          checkedAt,
        });
      }
      return this.view(checkId, checkedAt, answer, details, standing);
    });
  }

  private view(
    checkId: string,
    checkedAt: string,
    answer: CheckAnswer,
    details: Map<string, MeasureDetails>,
    taskIds: string[],
  ): CheckResultView {
    return checkResultOf(checkId, checkedAt, answer, details, taskIds);
  }
}
