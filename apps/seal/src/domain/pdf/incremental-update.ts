// Appends a revision to a PDF (ISO 32000-1 §7.5.6): new and changed objects, a cross-reference
// section covering only them, and a trailer pointing back with /Prev. Earlier bytes are never
// touched, so earlier signatures stay valid.
import { deflateSync } from 'node:zlib';
import type { PDFObject, PDFRef } from 'pdf-lib';
import { PDFRef as Ref } from 'pdf-lib';
import type { OpenedPdf } from './open-pdf.ts';

interface Entry {
  number: number;
  generation: number;
  body: Buffer;
}

export class IncrementalUpdate {
  private readonly entries = new Map<number, Entry>();
  private next: number;

  constructor(private readonly pdf: OpenedPdf) {
    this.next = pdf.nextObjectNumber;
  }

  allocate(): PDFRef {
    return Ref.of(this.next++);
  }

  /** Sets (or replaces, for an existing object number) an object's body. */
  set(ref: PDFRef, body: string | Buffer | PDFObject): void {
    const bytes = Buffer.isBuffer(body)
      ? body
      : Buffer.from(typeof body === 'string' ? body : body.toString(), 'latin1');
    this.entries.set(ref.objectNumber, { number: ref.objectNumber, generation: ref.generationNumber, body: bytes });
  }

  /**
   * A stream object: `dictEntries` without /Length (added here). `deflate` compresses the data;
   * `deflated` says it already is (compressed once and reused, like a seal's image).
   */
  setStream(
    ref: PDFRef,
    dictEntries: string,
    data: Buffer,
    options: { deflate?: boolean; deflated?: boolean } = {},
  ): void {
    const content = options.deflate ? deflateSync(data) : data;
    const filter = options.deflate || options.deflated ? ' /Filter /FlateDecode' : '';
    const head = Buffer.from(`<<${dictEntries}${filter} /Length ${content.length}>>\nstream\n`, 'latin1');
    this.set(ref, Buffer.concat([head, content, Buffer.from('\nendstream', 'latin1')]));
  }

  /**
   * The new revision appended to the original bytes. The trailer carries /Root, /Info and /ID over
   * from the previous one; the cross-reference section is a table, or a stream when the previous
   * revision used one (readers must not meet a table after a stream-only file in strict mode).
   */
  serialize(): Buffer {
    const original = this.pdf.bytes;
    const parts: Buffer[] = [original];
    let offset = original.length;
    if (original[original.length - 1] !== 0x0a) {
      parts.push(Buffer.from('\n'));
      offset += 1;
    }
    const offsets = new Map<number, { offset: number; generation: number }>();
    for (const entry of [...this.entries.values()].sort((a, b) => a.number - b.number)) {
      const object = Buffer.concat([
        Buffer.from(`${entry.number} ${entry.generation} obj\n`, 'latin1'),
        entry.body,
        Buffer.from('\nendobj\n', 'latin1'),
      ]);
      offsets.set(entry.number, { offset, generation: entry.generation });
      parts.push(object);
      offset += object.length;
    }
    const size = Math.max(this.next, ...[...offsets.keys()].map((n) => n + 1));
    const trailer = this.trailerEntries(size);
    if (this.pdf.xrefIsStream) {
      parts.push(this.xrefStream(offsets, size, offset, trailer));
    } else {
      parts.push(Buffer.from(`${xrefTable(offsets)}trailer\n<<${trailer}>>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
    }
    return Buffer.concat(parts);
  }

  private trailerEntries(size: number): string {
    const info = this.pdf.doc.context.trailerInfo;
    let entries = ` /Size ${size} /Root ${String(info.Root)} /Prev ${this.pdf.startxref}`;
    if (info.Info) entries += ` /Info ${String(info.Info)}`;
    if (info.ID) entries += ` /ID ${String(info.ID)}`;
    return entries;
  }

  private xrefStream(
    offsets: Map<number, { offset: number; generation: number }>,
    size: number,
    streamOffset: number,
    trailer: string,
  ): Buffer {
    // The stream is an object too and lists itself.
    const selfNumber = size;
    const all = new Map(offsets);
    all.set(selfNumber, { offset: streamOffset, generation: 0 });
    const numbers = [...all.keys()].sort((a, b) => a - b);
    const rows: Buffer[] = [];
    for (const n of numbers) {
      const { offset, generation } = all.get(n)!;
      const row = Buffer.alloc(1 + 4 + 2);
      row[0] = 1;
      row.writeUInt32BE(offset, 1);
      row.writeUInt16BE(generation, 5);
      rows.push(row);
    }
    const data = deflateSync(Buffer.concat(rows));
    const index = subsections(numbers)
      .map(([start, count]) => `${start} ${count}`)
      .join(' ');
    const dict = `<<${trailer.replace(`/Size ${size}`, `/Size ${size + 1}`)} /Type /XRef /W [1 4 2] /Index [${index}] /Filter /FlateDecode /Length ${data.length}>>`;
    return Buffer.concat([
      Buffer.from(`${selfNumber} 0 obj\n${dict}\nstream\n`, 'latin1'),
      data,
      Buffer.from(`\nendstream\nendobj\nstartxref\n${streamOffset}\n%%EOF\n`, 'latin1'),
    ]);
  }
}

function subsections(sorted: number[]): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  for (const n of sorted) {
    const last = result.at(-1);
    if (last && last[0] + last[1] === n) last[1]++;
    else result.push([n, 1]);
  }
  return result;
}

function xrefTable(offsets: Map<number, { offset: number; generation: number }>): string {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  let text = 'xref\n';
  for (const [start, count] of subsections(numbers)) {
    text += `${start} ${count}\n`;
    for (let n = start; n < start + count; n++) {
      const { offset, generation } = offsets.get(n)!;
      // Each entry is exactly 20 bytes: "oooooooooo ggggg n\r\n"... with an EOL of two characters.
      text += `${String(offset).padStart(10, '0')} ${String(generation).padStart(5, '0')} n\r\n`;
    }
  }
  return text;
}
