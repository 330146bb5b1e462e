import { Type } from 'class-transformer';
import { Equals, IsIn, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * CloudEvents 1.0 envelope in structured JSON form. `partitionkey` is the CloudEvents partitioning
 * extension: the message key that orders one aggregate's changes. `correlationid` ties the event
 * to the HTTP request that caused it.
 */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  partitionkey: string;
  correlationid?: string;
  data: T;
}

/** Validates the envelope on the way in; unknown attributes are tolerated. */
export class CloudEventEnvelope implements CloudEvent<Record<string, unknown>> {
  @Equals('1.0') specversion: '1.0';
  @IsString() @IsNotEmpty() @MaxLength(200) id: string;
  @IsString() @IsNotEmpty() source: string;
  @IsString() @IsNotEmpty() type: string;
  @IsISO8601() time: string;
  @IsOptional() @IsString() subject?: string;
  @IsIn(['application/json']) datacontenttype: 'application/json';
  @IsString() @IsNotEmpty() partitionkey: string;
  @IsOptional() @IsString() correlationid?: string;
  @IsObject() @Type(() => Object) data: Record<string, unknown>;
}
