// DER building and reading on top of node-forge's ASN.1 module, with Buffers at the edges so the
// rest of the service never handles forge's "binary strings".
import forge from 'node-forge';

const { asn1 } = forge;
const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;

export type Asn1 = forge.asn1.Asn1;

const bin = (buf: Uint8Array): string => Buffer.from(buf).toString('binary');
export const fromBin = (bytes: string): Buffer => Buffer.from(bytes, 'binary');

export const seq = (items: Asn1[]): Asn1 => asn1.create(U, T.SEQUENCE, true, items);
export const set = (items: Asn1[]): Asn1 => asn1.create(U, T.SET, true, sortedForDer(items));
export const oid = (value: string): Asn1 => asn1.create(U, T.OID, false, asn1.oidToDer(value).getBytes());
export const nul = (): Asn1 => asn1.create(U, T.NULL, false, '');
export const bool = (value: boolean): Asn1 => asn1.create(U, T.BOOLEAN, false, value ? '\xff' : '\x00');
export const octets = (value: Uint8Array): Asn1 => asn1.create(U, T.OCTETSTRING, false, bin(value));
export const utf8 = (value: string): Asn1 => asn1.create(U, T.UTF8, false, forge.util.encodeUtf8(value));
export const printable = (value: string): Asn1 => asn1.create(U, T.PRINTABLESTRING, false, value);
export const ia5 = (value: string): Asn1 => asn1.create(U, T.IA5STRING, false, value);
export const enumerated = (value: number): Asn1 => asn1.create(U, T.ENUMERATED, false, String.fromCharCode(value));

/** A BIT STRING with no unused bits (keys, signatures). */
export const bitString = (value: Uint8Array): Asn1 => asn1.create(U, T.BITSTRING, false, `\x00${bin(value)}`);

/** A named-bit BIT STRING (key usage): bit 0 is the most significant bit of the first byte. */
export function namedBits(bits: number[]): Asn1 {
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  // DER: trailing zero bits are dropped and counted as unused.
  const last = bytes[bytes.length - 1]!;
  let unused = 0;
  while (unused < 7 && (last & (1 << unused)) === 0) unused++;
  return asn1.create(U, T.BITSTRING, false, String.fromCharCode(unused) + bin(bytes));
}

/** INTEGER from a non-negative big-endian magnitude (serial numbers, nonces). */
export function unsignedInt(magnitude: Uint8Array): Asn1 {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  let bytes = Buffer.from(magnitude.subarray(start));
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return asn1.create(U, T.INTEGER, false, bin(bytes));
}

export const int = (value: number): Asn1 => asn1.create(U, T.INTEGER, false, asn1.integerToDer(value).getBytes());

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
export function time(date: Date): Asn1 {
  return date.getUTCFullYear() < 2050 ? utcTime(date) : generalizedTime(date);
}
export const utcTime = (date: Date): Asn1 => asn1.create(U, T.UTCTIME, false, asn1.dateToUtcTime(date));
export function generalizedTime(date: Date): Asn1 {
  // forge writes milliseconds when present; DER (and RFC 3161 genTime) want whole seconds here.
  const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return asn1.create(U, T.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(whole));
}

/** [n] EXPLICIT wrapper. */
export const explicit = (tag: number, inner: Asn1): Asn1 =>
  asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, [inner]);

/** [n] IMPLICIT: the inner value with its tag replaced (constructed when the inner one is). */
export function implicit(tag: number, inner: Asn1): Asn1 {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, inner.constructed, inner.value);
}

export const toDer = (node: Asn1): Buffer => fromBin(asn1.toDer(node).getBytes());

/**
 * Parses DER without forge's guessing at BIT STRING contents, so that re-encoding a parsed
 * structure (a certificate embedded in CMS) reproduces its bytes exactly.
 */
export function parseDer(der: Uint8Array): Asn1 {
  const options = { strict: true, parseAllBytes: true, decodeBitStrings: false };
  return asn1.fromDer(bin(der), options as unknown as boolean);
}

/** DER SET OF: elements sorted by their encodings (X.690 §11.6). */
function sortedForDer(items: Asn1[]): Asn1[] {
  if (items.length < 2) return items;
  return items
    .map((item) => ({ item, der: toDer(item) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
    .map((entry) => entry.item);
}

// Reading helpers: structural access with a clear failure instead of undefined property chains.
export class Asn1ShapeError extends Error {
  constructor(what: string) {
    super(`unexpected ASN.1 structure: ${what}`);
    this.name = 'Asn1ShapeError';
  }
}

export function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new Asn1ShapeError(what);
  return node.value;
}

export function child(node: Asn1 | undefined, index: number, what: string): Asn1 {
  const found = children(node, what)[index];
  if (!found) throw new Asn1ShapeError(what);
  return found;
}

export function primitiveBytes(node: Asn1 | undefined, what: string): Buffer {
  if (!node || typeof node.value !== 'string') throw new Asn1ShapeError(what);
  return fromBin(node.value);
}

export function readOid(node: Asn1 | undefined, what: string): string {
  if (!node || node.type !== T.OID || node.tagClass !== U) throw new Asn1ShapeError(what);
  return asn1.derToOid(node.value as string);
}

export function readTime(node: Asn1 | undefined, what: string): Date {
  if (node?.type === T.UTCTIME) return asn1.utcTimeToDate(node.value as string);
  if (node?.type === T.GENERALIZEDTIME) return asn1.generalizedTimeToDate(node.value as string);
  throw new Asn1ShapeError(what);
}

export function isContext(node: Asn1 | undefined, tag: number): boolean {
  return node?.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === tag;
}

export const UNIVERSAL = T;
