import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Min,
  ValidateNested,
} from 'class-validator';
import { SUBJECT_KINDS, SubjectKind } from './list-entry.contract';

/**
 * A task's state as measures keeps it: 待实施 open, 已签收 acknowledged (receipt recorded), 已退回 returned
 * (misrouted, back with the office), 已撤销 revoked. Whether it is fed back is learned from feedback.
 */
export const TASK_STATUSES = ['open', 'acknowledged', 'returned', 'revoked'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * The kinds of task change, each one version of the task, one feed item and one event: 下发 dispatched,
 * 更新 updated, 撤销 revoked, 签收 acknowledged, 退回 returned, 核查 checked (a counter check found the subject).
 */
export const TASK_CHANGE_TYPES = ['dispatched', 'updated', 'revoked', 'acknowledged', 'returned', 'checked'] as const;
export type TaskChangeType = (typeof TASK_CHANGE_TYPES)[number];

/** A counter check (嵌入式联合奖惩) that found the subject listed, linked to the caller's task. */
export class TaskCheckData {
  @IsUUID() checkId: string;
  @IsString() @IsNotEmpty() businessType: string;
  @IsString() reference: string;
  @IsISO8601() checkedAt: string;
}

export class TaskMeasureData {
  @IsString() @IsNotEmpty() id: string;
  @IsString() text: string;
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
}
