// Tokens of a PDF content stream (ISO 32000-1 §7.2, §8.9.7): enough to follow text operators.
// Operands are numbers, names, strings (as bytes) and arrays; dictionaries (marked content) are
// skipped, and inline image data is jumped over.

export type Operand = number | { name: string } | Uint8Array | Operand[] | null;

export interface Operation {
  operator: string;
  operands: Operand[];
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const isRegular = (b: number) => !WHITESPACE.has(b) && !DELIMITERS.has(b);

export function* contentOperations(bytes: Uint8Array): Generator<Operation> {
  let i = 0;
  const stack: Operand[][] = [[]];
  const push = (value: Operand) => stack[stack.length - 1]!.push(value);
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (WHITESPACE.has(b)) {
      i++;
    } else if (b === 0x25) {
      while (i < bytes.length && bytes[i] !== 0x0a && bytes[i] !== 0x0d) i++;
    } else if (b === 0x28) {
      const [value, end] = literalString(bytes, i + 1);
      push(value);
      i = end;
    } else if (b === 0x3c && bytes[i + 1] === 0x3c) {
      stack.push([]); // a dictionary: collected and dropped at >>
      i += 2;
    } else if (b === 0x3e && bytes[i + 1] === 0x3e) {
      if (stack.length > 1) stack.pop();
      push(null);
      i += 2;
    } else if (b === 0x3c) {
      const end = bytes.indexOf(0x3e, i);
      const hex = Buffer.from(bytes.subarray(i + 1, end < 0 ? bytes.length : end))
        .toString('latin1')
        .replace(/[^0-9a-fA-F]/g, '');
      push(new Uint8Array(Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex')));
      i = end < 0 ? bytes.length : end + 1;
    } else if (b === 0x5b) {
      stack.push([]);
      i++;
    } else if (b === 0x5d) {
      if (stack.length > 1) {
        const array = stack.pop()!;
        push(array);
      }
      i++;
    } else if (b === 0x2f) {
      let end = i + 1;
      while (end < bytes.length && isRegular(bytes[end]!)) end++;
      push({ name: Buffer.from(bytes.subarray(i + 1, end)).toString('latin1') });
      i = end;
    } else if (DELIMITERS.has(b)) {
      i++; // stray > ) { }
    } else {
      let end = i;
      while (end < bytes.length && isRegular(bytes[end]!)) end++;
      const word = Buffer.from(bytes.subarray(i, end)).toString('latin1');
      i = end;
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
        push(Number(word));
      } else if (word === 'true' || word === 'false' || word === 'null') {
        push(null);
      } else {
        const operands = stack[0]!;
        stack.length = 1;
        stack[0] = [];
        if (word === 'ID') i = skipInlineImage(bytes, i);
        yield { operator: word, operands };
      }
    }
  }
}

function literalString(bytes: Uint8Array, start: number): [Uint8Array, number] {
  const out: number[] = [];
  let depth = 1;
  let i = start;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x5c) {
      const next = bytes[i + 1];
      i += 2;
      if (next === undefined) break;
      const simple: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12 };
      if (simple[next] !== undefined) out.push(simple[next]);
      else if (next >= 0x30 && next <= 0x37) {
        let value = next - 0x30;
        for (let k = 0; k < 2 && bytes[i]! >= 0x30 && bytes[i]! <= 0x37; k++) value = value * 8 + (bytes[i++]! - 0x30);
        out.push(value & 0xff);
      } else if (next === 0x0d) {
        if (bytes[i] === 0x0a) i++; // line continuation
      } else if (next !== 0x0a) out.push(next);
      continue;
    }
    if (b === 0x28) depth++;
    if (b === 0x29 && --depth === 0) return [Uint8Array.from(out), i + 1];
    out.push(b);
    i++;
  }
  return [Uint8Array.from(out), i];
}

/** Inline image data runs from after ID to the EI that follows whitespace. */
function skipInlineImage(bytes: Uint8Array, start: number): number {
  for (let i = start + 1; i < bytes.length - 2; i++) {
    if (
      WHITESPACE.has(bytes[i]!) &&
      bytes[i + 1] === 0x45 &&
      bytes[i + 2] === 0x49 &&
      (i + 3 >= bytes.length || !isRegular(bytes[i + 3]!))
    ) {
      return i + 3;
    }
  }
  return bytes.length;
}
