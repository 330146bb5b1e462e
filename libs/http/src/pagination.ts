import { BadRequestException } from '@nestjs/common';

/** Opaque cursors: base64url of a position the server understands. */
export function encodeCursor(position: string | number): string {
  return Buffer.from(`c1:${position}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('c1:'))
    throw new BadRequestException({
      detail: 'invalid cursor',
      errors: [{ field: 'after', message: 'is not a cursor returned by this API' }],
    });
  return text.slice(3);
}

/** A cursor over a sequence (bigserial): its position, '0' without one; 400 when it is not a sequence number. */
export function decodeSeqCursor(cursor: string | undefined): string {
  const seq = decodeCursor(cursor) ?? '0';
  if (!/^\d+$/.test(seq))
    throw new BadRequestException({
      detail: 'invalid cursor',
      errors: [{ field: 'after', message: 'is not a cursor of this list' }],
    });
  return seq;
}

/** A cursor-paged answer: the items, the cursor to read on from, and whether more follow now. */
export interface CursorPage<T> {
  items: T[];
  /** The cursor after the last item (the one given when there were none): pass it back as `after`. */
  next: string;
  /** Whether more items follow `next` now; false at the end for now (a feed grows later). */
  hasMore: boolean;
}

/**
 * A page from rows read with one more than `limit` (the extra row only tells that more follow): the
 * first `limit` as `view` shows them, the cursor after the last (`positionOf`), else `after` again.
 */
export function cursorPage<R, T>(
  rows: R[],
  limit: number,
  after: string,
  positionOf: (row: R) => string | number,
  view: (row: R) => T,
): CursorPage<T> {
  const page = rows.slice(0, limit);
  return {
    items: page.map(view),
    next: encodeCursor(page.length ? positionOf(page[page.length - 1]) : after),
    hasMore: rows.length > limit,
  };
}
