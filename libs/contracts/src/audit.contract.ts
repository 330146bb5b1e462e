import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Min } from 'class-validator';

/**
 * How what a record describes ended: `success`; a request refused with 401 (`unauthorized`), 403
 * (`forbidden`), 404 (`not-found`) or 429 (`rate-limited`); `not-recorded`: a count of refusals from one
 * source address that were not recorded one by one (the records of refusals are bounded).
 */
export const AUDIT_OUTCOMES = [
  'success',
  'unauthorized',
  'forbidden',
  'not-found',
  'rate-limited',
  'not-recorded',
] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

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
  @IsIn(AUDIT_OUTCOMES) outcome: AuditOutcome;
}
