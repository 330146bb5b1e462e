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
