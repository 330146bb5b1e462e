import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SUBJECT_KINDS, SubjectKind } from './list-entry.contract';

/**
 * A task's state as measures keeps it: 待实施 open, 已签收 acknowledged (receipt recorded), 已退回 returned
 * (misrouted, back with the office), 已撤销 revoked, 暂停实施 on-hold (a pending objection holds its
 * entry's measures, where the list type's rule set says so; no due date meanwhile). Whether it is fed back
 * is learned from feedback.
 */
export const TASK_STATUSES = ['open', 'acknowledged', 'returned', 'revoked', 'on-hold'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * The kinds of task change, each one version of the task, one feed item and one event: 下发 dispatched,
 * 更新 updated, 撤销 revoked, 签收 acknowledged, 退回 returned, 核查 checked (a counter check found the subject),
 * 解除确认 lifted (the organisation confirms it lifted the measures of a revoked task), 暂停 held (a
 * pending objection put the task on hold) and 恢复 released (the objection was decided: back to open or
 * acknowledged, with a new due date).
 */
export const TASK_CHANGE_TYPES = [
  'dispatched',
  'updated',
  'revoked',
  'acknowledged',
  'returned',
  'checked',
  'lifted',
  'held',
  'released',
] as const;
export type TaskChangeType = (typeof TASK_CHANGE_TYPES)[number];

/** A counter check (嵌入式联合奖惩) that found the subject listed, linked to the caller's task. */
export class TaskCheckData {
  @IsUUID() checkId: string;
  @IsString() @IsNotEmpty() businessType: string;
  @IsString() reference: string;
  @IsISO8601() checkedAt: string;
}

/**
 * Why a task was revoked: its entry left the list — 信用修复 repair (moved to the watch list), 移出 removal,
 * 到期 expiry, 异议成立 objection upheld — or, with the entry still listed, 期限届满 term-ended (every measure
 * of the task ran its own term) or 调整 rematch (a new catalogue version, a reassignment). All but rematch owe a
 * confirmation that the measures were lifted (解除确认).
 */
export const REVOCATION_REASONS = ['repair', 'removal', 'expiry', 'objection-upheld', 'rematch', 'term-ended'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** A revoked task's revocation: why, when (the entry's change), and by when its lifting is to be confirmed. */
export class TaskRevocationData {
  @IsIn(REVOCATION_REASONS) reason: RevocationReason;
  @IsISO8601() revokedAt: string;
  /** The end (Asia/Shanghai) of the last working day to confirm lifting; null when none is owed (rematch). */
  @IsOptional() @IsISO8601() liftBy: string | null;
}

/** The implementing organisation's confirmation that it lifted a revoked task's measures (解除确认). */
export class TaskLiftingData {
  /** When the measures were lifted (not before the revocation, not in the future). */
  @IsISO8601() liftedAt: string;
  @IsOptional() @IsString() note: string | null;
  /** When the confirmation was recorded. */
  @IsISO8601() confirmedAt: string;
}

export class TaskMeasureData {
  @IsString() @IsNotEmpty() id: string;
  @IsString() text: string;
  /**
   * The last day the measure applies (措施期限至, inclusive, an Asia/Shanghai calendar date), for a measure
   * with a term (期限); absent or null: until the entry leaves the list.
   */
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) applyUntil?: string | null;
}

/** The subject as a department sees it: personal ID numbers masked. */
export class TaskSubjectData {
  @IsIn(SUBJECT_KINDS) kind: SubjectKind;
  @IsString() name: string;
  @IsOptional() @IsString() uscc?: string;
  @IsOptional() @IsString() idNumberMasked?: string;
  @IsOptional() @IsString() legalRepresentativeName?: string;
}

export class TaskChangedData {
  @IsUUID() taskId: string;
  @IsInt() @Min(1) version: number;
  @IsUUID() entryId: string;
  @IsInt() @Min(1) entryVersion: number;
  @IsString() @IsNotEmpty() organization: string;
  @IsString() organizationName: string;
  @IsString() @IsNotEmpty() listType: string;
  @IsString() listTypeName: string;
  @IsString() region: string;
  @ValidateNested() @Type(() => TaskSubjectData) subject: TaskSubjectData;
  @IsArray() @ValidateNested({ each: true }) @Type(() => TaskMeasureData) measures: TaskMeasureData[];
  @IsIn(TASK_STATUSES) status: TaskStatus;
  /** 异议处理中: the entry is disputed; departments may hold off until the objection is decided. */
  @IsOptional() @IsBoolean() disputed?: boolean;
  /** Feedback is due by then: the end (Asia/Shanghai) of the last working day allowed. */
  @IsOptional() @IsISO8601() dueAt?: string | null;
  @IsISO8601() changedAt: string;
  /** When the implementing organisation recorded receipt (签收). */
  @IsOptional() @IsISO8601() acknowledgedAt?: string | null;
  /** Why the organisation returned the task (退回), when it did. */
  @IsOptional() @IsString() returnReason?: string | null;
  /** The counter check of a `checked` change. */
  @IsOptional() @ValidateNested() @Type(() => TaskCheckData) check?: TaskCheckData;
  /** A revoked task's revocation (null once dispatched again). */
  @IsOptional() @ValidateNested() @Type(() => TaskRevocationData) revocation?: TaskRevocationData | null;
  /** The confirmation that the measures were lifted, once given. */
  @IsOptional() @ValidateNested() @Type(() => TaskLiftingData) lifting?: TaskLiftingData | null;
}

/**
 * `jrp.task.lifted`: a revoked task whose organisation confirmed the lifting; its revocation and lifting
 * are required (`ValidateIf(always)` replaces the base class's optional for the two; the empty defaults
 * fail validation when the event lacks them).
 */
export class TaskLiftedData extends TaskChangedData {
  @ValidateIf(() => true)
  @IsObject()
  @ValidateNested()
  @Type(() => TaskRevocationData)
  override revocation: TaskRevocationData = new TaskRevocationData();
  @ValidateIf(() => true)
  @IsObject()
  @ValidateNested()
  @Type(() => TaskLiftingData)
  override lifting: TaskLiftingData = new TaskLiftingData();
}

/**
 * `jrp.task.held` (暂停): a task put on hold by a pending objection on its entry (the list type's rule set
 * has `objectionHoldsMeasures`); it has no due date while on hold, and keeps its receipt.
 */
export class TaskHeldData extends TaskChangedData {
  @IsIn(['on-hold']) override status: TaskStatus = 'on-hold';
}

/**
 * `jrp.task.released` (恢复): a held task back to work once its objection was decided (rejected, or upheld
 * with corrections): open or acknowledged as it was, with a due date counted from the release.
 */
export class TaskReleasedData extends TaskChangedData {
  @IsIn(['open', 'acknowledged']) override status: TaskStatus = 'open';
}
