import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Min } from 'class-validator';

export const AUDIT_OUTCOMES = ['success'] as const;

/**
 * One audit record (审计记录): who (organisation and token), did what, to which object, when, from
 * where, in which request. Every write and every read of personal data produces one.
 */
export class AuditRecordedData {
  @IsUUID() recordId: string;
  @IsInt() @Min(1) version: number;
  @IsString() @IsNotEmpty() service: string;
  @IsString() @IsNotEmpty() action: string;
  @IsString() @IsNotEmpty() objectType: string;
  @IsString() objectId: string;
  @IsString() @IsNotEmpty() organization: string;
  @IsString() tokenId: string;
  @IsOptional() @IsString() tokenLabel?: string | null;
  @IsString() requestId: string;
  @IsString() sourceAddress: string;
  @IsISO8601() at: string;
  @IsIn(AUDIT_OUTCOMES) outcome: 'success';
}
