import { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROBLEM_TYPES } from './problem-types';

/** One field's complaint in a 400 answer. */
export class FieldErrorResponse {
  @ApiProperty({ example: 'subject.uscc' }) field: string;
  @ApiProperty({ example: 'is not a valid unified social credit code' }) message: string;
}

/** Every error answer (RFC 9457 problem details, `application/problem+json`; the codes: docs/problems.md). */
export class ProblemDetailsResponse {
  @ApiProperty({
    example: '/api/docs/problems/validation',
    description: 'the problem type, a URI reference resolved against the API origin (dereferenceable)',
  })
  type: string;
  @ApiProperty({
    enum: Object.keys(PROBLEM_TYPES),
    example: 'validation',
    description: 'stable code of the problem type: switch on this',
  })
  code: string;
  @ApiProperty({ example: '请求内容不合法', description: 'the problem type’s summary, in the main language' })
  title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ description: 'this occurrence, in the main language (Accept-Language; Chinese by default)' })
  detail: string;
  @ApiPropertyOptional({ description: 'the detail in English, when Chinese is the main language' })
  detailEn?: string;
  @ApiPropertyOptional({ description: 'the detail in Chinese, when English is the main language' })
  detailZh?: string;
  @ApiPropertyOptional({ description: 'the request path' }) instance?: string;
  @ApiPropertyOptional({ description: 'the request id (X-Request-Id): quote it when reporting a problem' })
  requestId?: string;
  @ApiPropertyOptional({ type: [FieldErrorResponse], description: 'field by field, for 400' })
  errors?: FieldErrorResponse[];
}

const pages = new Map<Type<unknown>, Type<unknown>>();

/**
 * The response class of a cursor-paged list of `item`: `{items, next}`. Pass `next` back as `after`
 * to read on; an empty `items` means the end for now.
 */
export function PageOf<T>(item: Type<T>): Type<{ items: T[]; next: string }> {
  let page = pages.get(item);
  if (!page) {
    class Page {
      @ApiProperty({ type: [item] }) items: T[];
      @ApiProperty({ description: 'cursor after the last item (the same cursor when there were none)' }) next: string;
    }
    Object.defineProperty(Page, 'name', { value: `${item.name.replace(/Response$/, '')}Page` });
    pages.set(item, (page = Page));
  }
  return page as Type<{ items: T[]; next: string }>;
}
