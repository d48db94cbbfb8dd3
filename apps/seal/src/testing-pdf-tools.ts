// The independent verifiers other services' tests run on PDFs the seal service sealed for them
// (license files, fiscal receipts): pdfsig with the platform root trusted in its own NSS database,
// and any other command line tool (qpdf, pdftotext) on files in one temporary folder.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ToolOutput {
  code: number;
  /** stdout, followed by stderr when the tool failed. */
  out: string;
}

export class SealedPdfTools {
  private readonly dir = mkdtempSync(join(tmpdir(), 'sealed-pdf-'));
  private readonly nssDir = join(this.dir, 'nss');
  private files = 0;

  /** Runs a tool to the end; a failing exit is an answer, not an exception. */
  readonly run = (command: string, args: string[]): ToolOutput => {
    try {
      return { code: 0, out: execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe' }) };
    } catch (error) {
      const e = error as { status?: number; stdout?: string; stderr?: string };
      return { code: e.status ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  };

  /** Writes a PDF into the folder; returns its path. */
  readonly write = (pdf: Uint8Array): string => {
    const file = join(this.dir, `file-${this.files++}.pdf`);
    writeFileSync(file, pdf);
    return file;
  };

  /** Makes pdfsig trust this root (the seal service's CA), as a relying party's store would. */
  trustRoot(rootPem: string): void {
    mkdirSync(this.nssDir, { recursive: true });
    execFileSync('certutil', ['-N', '-d', `sql:${this.nssDir}`, '--empty-password']);
    const rootFile = join(this.dir, 'root.pem');
    writeFileSync(rootFile, rootPem);
    execFileSync('certutil', ['-A', '-d', `sql:${this.nssDir}`, '-n', 'seal-root', '-t', 'CT,C,C', '-i', rootFile]);
  }

  /** pdfsig's report on the PDF, checking trust against the root given to `trustRoot` (no OCSP). */
  readonly pdfsig = (pdf: Uint8Array): ToolOutput =>
    this.run('pdfsig', ['-no-ocsp', '-nssdir', `sql:${this.nssDir}`, this.write(pdf)]);

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
