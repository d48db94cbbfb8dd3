// W3C Bitstring Status List encoding: index 0 is the most significant bit of the first byte; the
// list is GZIP-compressed and carried as a multibase base64url string (prefix "u", no padding).
import { gunzipSync, gzipSync } from 'node:zlib';

/** The smallest list the W3C recommendation allows (16 KiB), for herd privacy. */
export const MIN_STATUS_LIST_ENTRIES = 131_072;
const MULTIBASE_BASE64URL = 'u';
/** A decoded list larger than this is refused, so a hostile list cannot exhaust memory (gzip bomb). */
const MAX_DECODED_BYTES = 16 * 1024 * 1024;

export function createBitstring(entries: number = MIN_STATUS_LIST_ENTRIES): Uint8Array {
  if (!Number.isInteger(entries) || entries < MIN_STATUS_LIST_ENTRIES || entries % 8 !== 0)
    throw new RangeError(`a status list has at least ${MIN_STATUS_LIST_ENTRIES} entries, a multiple of 8`);
  return new Uint8Array(entries / 8);
}

export function getBit(bits: Uint8Array, index: number): boolean {
  const byte = bits[index >> 3];
  if (!Number.isInteger(index) || index < 0 || byte === undefined) throw new RangeError('status index out of range');
  return (byte & (0x80 >> (index & 7))) !== 0;
}

export function setBit(bits: Uint8Array, index: number, value: boolean): void {
  const byte = bits[index >> 3];
  if (!Number.isInteger(index) || index < 0 || byte === undefined) throw new RangeError('status index out of range');
  bits[index >> 3] = value ? byte | (0x80 >> (index & 7)) : byte & ~(0x80 >> (index & 7));
}

export function encodeBitstring(bits: Uint8Array): string {
  return MULTIBASE_BASE64URL + gzipSync(bits, { level: 9 }).toString('base64url');
}

/** Decodes an encodedList; throws on anything that is not a gzip'd list of the minimum size. */
export function decodeBitstring(encoded: string): Uint8Array {
  if (!encoded.startsWith(MULTIBASE_BASE64URL) || !/^[A-Za-z0-9_-]+$/.test(encoded.slice(1)))
    throw new Error('encodedList is not multibase base64url');
  const decoded = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'), { maxOutputLength: MAX_DECODED_BYTES });
  if (decoded.length * 8 < MIN_STATUS_LIST_ENTRIES) throw new Error('status list is shorter than the minimum');
  return new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.length);
}
