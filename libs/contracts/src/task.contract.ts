import { Type } from 'class-transformer';
import {
  IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Min, ValidateNested,
} from 'class-validator';
import { SUBJECT_KINDS, SubjectKind } from './list-entry.contract';

export const TASK_STATUSES = ['open', 'revoked'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

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
}

