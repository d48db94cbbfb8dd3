// Batch rows from CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF). Cells are text; a
// field's cell is typed from the license type's schema when the row is processed, not here.
import { AppError } from '@platform/contracts';

/** Splits CSV text into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (quoted) throw new AppError('LICENSE_BATCH_INVALID', 'The CSV ends inside a quoted cell');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((cells) => cells.some((value) => value !== ''));
}

const FIXED = ['caseId', 'typeCode', 'holderCodeType', 'holderCode', 'holderName', 'validFrom', 'validUntil'];

/**
 * CSV → raw issue requests. Field cells stay strings (arrays split on `|`); `batchRequest` types
 * them with the license type's schema. An empty validUntil means the type's default.
 */
export function csvRequests(text: string): Array<Record<string, unknown>> {
  const [header, ...rows] = parseCsv(text);
  if (!header || rows.length === 0) throw new AppError('LICENSE_BATCH_INVALID', 'The CSV has no header or no rows');
  const unknown = header.filter((name) => !FIXED.includes(name) && !/^fields\.[a-z][a-zA-Z0-9]{0,49}$/.test(name));
  if (unknown.length > 0)
    throw new AppError('LICENSE_BATCH_INVALID', `Unknown CSV columns: ${unknown.slice(0, 5).join(', ')}`);
  if (new Set(header).size !== header.length) throw new AppError('LICENSE_BATCH_INVALID', 'A CSV column is repeated');
  return rows.map((cells) => {
    const cell = (name: string) => {
      const at = header.indexOf(name);
      return at < 0 ? '' : (cells[at] ?? '');
    };
    const fields = Object.fromEntries(
      header.flatMap((name, at) =>
        name.startsWith('fields.') && (cells[at] ?? '') !== '' ? [[name.slice(7), cells[at] ?? '']] : [],
      ),
    );
    return {
      caseId: cell('caseId'),
      typeCode: cell('typeCode'),
      holder: { codeType: cell('holderCodeType'), code: cell('holderCode'), name: cell('holderName') },
      fields,
      ...(cell('validFrom') ? { validFrom: cell('validFrom') } : {}),
      ...(cell('validUntil') ? { validUntil: cell('validUntil') === 'null' ? null : cell('validUntil') } : {}),
      csv: true,
    };
  });
}
