// Documents arrive base64-encoded in JSON: strict decoding and the size limit, before any parsing.
import { AppError } from '@platform/contracts';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

export function decodeDocument(base64: string, maxBytes: number, field: string): Buffer {
  // Checked on the encoded length first, so a huge body is refused without decoding it.
  if (Math.floor((base64.length * 3) / 4) > maxBytes + 2) {
    throw new AppError('DOCUMENT_TOO_LARGE', `The ${field} is larger than ${maxBytes} bytes`);
  }
  if (!BASE64.test(base64)) throw new AppError('INVALID_BASE64', `The ${field} is not valid base64`);
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > maxBytes)
    throw new AppError('DOCUMENT_TOO_LARGE', `The ${field} is larger than ${maxBytes} bytes`);
  if (bytes.length === 0) throw new AppError('INVALID_BASE64', `The ${field} is empty`);
  return bytes;
}
