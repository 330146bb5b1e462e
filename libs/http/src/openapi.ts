import { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One field's complaint in a 400 answer. */
export class FieldErrorResponse {
  @ApiProperty({ example: 'subject.uscc' }) field: string;
  @ApiProperty({ example: 'is not a valid unified social credit code' }) message: string;
}

/** Every error answer (RFC 9457 problem details, `application/problem+json`). */
export class ProblemDetailsResponse {
  @ApiProperty({ example: 'about:blank' }) type: string;
  @ApiProperty({ example: 'Bad Request' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiPropertyOptional() detail?: string;
  @ApiPropertyOptional({ description: 'the request path' }) instance?: string;
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
