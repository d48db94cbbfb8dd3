// Keyset pagination: a page ends at the (time, id) of its last row and the next page starts strictly
// after it in the listing's order (time descending, id descending). Unlike an offset, rows added
// meanwhile neither shift nor repeat what the reader has seen. The cursor only positions the reader
// inside results the filters already restrict, so it needs no signature.
import { AppError } from '@platform/contracts';

export interface PagePosition {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const encodeCursor = (position: PagePosition): string =>
  Buffer.from(`${position.at.toISOString()}|${position.id}`, 'utf8').toString('base64url');

export function decodeCursor(cursor: string): PagePosition {
  const [iso, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  if (rest.length > 0 || !id || !UUID.test(id) || Number.isNaN(at.getTime()) || at.toISOString() !== iso)
    throw new AppError('PAGE_CURSOR_INVALID', 'The cursor is not one this listing handed out');
  return { at, id };
}

/**
 * Cuts a page fetched with one row more than the limit: the extra row only tells that another page
 * exists, and the cursor points after the page's last row.
 */
export function toPage<T>(rows: T[], limit: number, positionOf: (row: T) => PagePosition) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
