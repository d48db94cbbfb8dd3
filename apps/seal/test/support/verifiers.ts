// The independent checks every signed PDF in the tests goes through: pdfsig (poppler + NSS),
// openssl cms -verify over the signed byte ranges, and qpdf --check.
import { execFileSync } from 'node:child_process';
import { pem, TempDir, tool, type ToolResult } from './tools.ts';

export interface EmbeddedSignature {
  byteRange: [number, number, number, number];
  cms: Buffer;
  signedContent: Buffer;
}

/** Every signature in the file, by scanning /ByteRange entries (test-side, independent of src/). */
export function embeddedSignatures(pdf: Buffer): EmbeddedSignature[] {
  const text = pdf.toString('latin1');
  return [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((m) => {
    const byteRange = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const hex = pdf.subarray(byteRange[1] + 1, byteRange[2] - 1).toString('latin1');
    const raw = Buffer.from(hex, 'hex');
    // DER length of the outer SEQUENCE tells where the zero padding begins.
    const lenByte = raw[1]!;
    const length =
      lenByte < 0x80
        ? 2 + lenByte
        : 2 + (lenByte & 0x7f) + raw.subarray(2, 2 + (lenByte & 0x7f)).readUIntBE(0, lenByte & 0x7f);
    return {
      byteRange,
      cms: raw.subarray(0, length),
      signedContent: Buffer.concat([
        pdf.subarray(byteRange[0], byteRange[0] + byteRange[1]),
        pdf.subarray(byteRange[2], byteRange[2] + byteRange[3]),
      ]),
    };
  });
}

export class PdfVerifiers {
  private readonly dir = new TempDir();
  private readonly nssDir: string;
  private readonly rootFile: string;

  constructor(rootDer: Buffer) {
    this.rootFile = this.dir.write('root.pem', pem(rootDer));
    this.nssDir = this.dir.file('nss');
    execFileSync('mkdir', ['-p', this.nssDir]);
    execFileSync('certutil', ['-N', '-d', `sql:${this.nssDir}`, '--empty-password']);
    execFileSync('certutil', [
      '-A',
      '-d',
      `sql:${this.nssDir}`,
      '-n',
      'seal-root',
      '-t',
      'CT,C,C',
      '-i',
      this.rootFile,
    ]);
  }

  async pdfsig(pdf: Buffer, options: { ocsp?: boolean } = {}): Promise<ToolResult> {
    const file = this.dir.write(`doc-${Math.random().toString(36).slice(2)}.pdf`, pdf);
    return tool('pdfsig', [...(options.ocsp ? [] : ['-no-ocsp']), '-nssdir', `sql:${this.nssDir}`, file]);
  }

  /** openssl cms -verify of one embedded signature over its byte ranges, chained to the root. */
  async opensslVerify(signature: EmbeddedSignature): Promise<ToolResult> {
    const id = Math.random().toString(36).slice(2);
    const cms = this.dir.write(`sig-${id}.der`, signature.cms);
    const content = this.dir.write(`content-${id}.bin`, signature.signedContent);
    return tool('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      cms,
      '-content',
      content,
      '-CAfile',
      this.rootFile,
      '-out',
      '/dev/null',
    ]);
  }

  async qpdfCheck(pdf: Buffer): Promise<ToolResult> {
    return tool('qpdf', ['--check', this.dir.write(`q-${Math.random().toString(36).slice(2)}.pdf`, pdf)]);
  }

  async cmsPrint(cms: Buffer): Promise<string> {
    const file = this.dir.write(`p-${Math.random().toString(36).slice(2)}.der`, cms);
    return (await tool('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', file])).stdout;
  }

  remove(): void {
    this.dir.remove();
  }
}
