import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import fc from 'fast-check';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { cjkFontBytes, embedCjkFont, missingGlyphs, wrapText } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'pdf-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tool = (command: string, args: string[]) => execFileSync(command, args, { encoding: 'utf8' });

const SAMPLE =
  '营业执照 统一社会信用代码 91370102MA3C8U7P4X 济南泉城软件有限公司（盖章）经营范围：软件开发；数据处理服务。';

describe('Chinese text in a PDF', () => {
  it('embeds a subset of Noto Serif SC whose text pdftotext reads back', async () => {
    const doc = await PDFDocument.create();
    const font = await embedCjkFont(doc);
    const bold = await embedCjkFont(doc, 'bold');
    const page = doc.addPage([595, 842]);
    page.drawText('中华人民共和国', { x: 50, y: 780, size: 20, font: bold });
    wrapText(SAMPLE, font, 12, 300).forEach((line, i) =>
      page.drawText(line, { x: 50, y: 740 - i * 18, size: 12, font }),
    );
    const bytes = await doc.save();
    // A subset: the whole font is about 15 MB.
    expect(bytes.length).toBeLessThan(80_000);
    const file = join(dir, 'sample.pdf');
    writeFileSync(file, bytes);
    const text = tool('pdftotext', ['-layout', file, '-']).replace(/\s+/g, '');
    expect(text).toContain('中华人民共和国');
    expect(text).toContain(SAMPLE.replace(/\s+/g, ''));
    const fonts = tool('pdffonts', [file]);
    expect(fonts).toMatch(/NotoSerifSC-Regular\S*\s+CID TrueType\s+Identity-H\s+yes/);
    expect(fonts).toMatch(/NotoSerifSC-Bold\S*\s+CID TrueType\s+Identity-H\s+yes/);
    expect(tool('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors');
  });

  it('draws every glyph of the subset (no blank characters from misaligned glyph offsets)', async () => {
    const doc = await PDFDocument.create();
    const font = await embedCjkFont(doc);
    const chars = [...'营业执照统一社会信用代码0123456789ABCXYZ（盖章）济南市'];
    const page = doc.addPage([40 * 10 + 20, 40 * Math.ceil(chars.length / 10) + 20]);
    chars.forEach((char, i) =>
      page.drawText(char, {
        x: 20 + (i % 10) * 40,
        y: page.getHeight() - 40 - Math.floor(i / 10) * 40,
        size: 20,
        font,
      }),
    );
    const file = join(dir, 'glyphs.pdf');
    writeFileSync(file, await doc.save());
    // 72 dpi: one pixel per point. PGM (P5): a text header, then one byte per pixel.
    execFileSync('pdftoppm', ['-gray', '-r', '72', '-singlefile', file, join(dir, 'glyphs')]);
    const pgm = readFileSync(join(dir, 'glyphs.pgm'));
    const [, w, h] = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 50)) ?? [];
    const headerLength = pgm.length - Number(w) * Number(h);
    const inked = (i: number) => {
      const left = 20 + (i % 10) * 40;
      const baseline = 40 + Math.floor(i / 10) * 40; // from the top of the page
      for (let y = baseline - 20; y < baseline + 4; y++)
        for (let x = left; x < left + 22; x++) if (pgm[headerLength + y * Number(w) + x]! < 128) return true;
      return false;
    };
    expect(chars.filter((_, i) => !inked(i))).toEqual([]);
  });

  it('has a glyph for every character of the license and receipt vocabulary', async () => {
    const font = await embedCjkFont(await PDFDocument.create());
    const vocabulary =
      '中华人民共和国营业执照食品经营许可证不动产权证书居民身份证机动车驾驶证教师资格证统一社会信用代码名称类型法定代表人注册资本成立日期营业期限住所经营范围登记机关' +
      '发证机关有效期至长期签发日期证照标识扫码核验（盖章）财政电子票据非税收入一般缴款书票据代码号码校验码交款人开票日期收款单位项目编码金额合计大写人民币元角分备注复核收款人' +
      '０１２３４５６７８９，。、；：！？《》“”￥';
    expect(missingGlyphs(font, vocabulary)).toEqual([]);
    expect(missingGlyphs(font, '𠀀')).toEqual(['𠀀']);
  });
});

describe('one parsed font for every document', () => {
  async function documentWith(text: string): Promise<Buffer> {
    const doc = await PDFDocument.create();
    doc.setCreationDate(new Date(0));
    doc.setModificationDate(new Date(0));
    const font = await embedCjkFont(doc);
    const bold = await embedCjkFont(doc, 'bold');
    const page = doc.addPage([595, 842]);
    page.drawText(text, { x: 40, y: 780, size: 14, font: bold });
    wrapText(text, font, 12, 300).forEach((line, i) => page.drawText(line, { x: 40, y: 740 - i * 18, size: 12, font }));
    return Buffer.from(await doc.save());
  }

  it('gives each document its own subset: a file is the same whatever was rendered before it', async () => {
    const first = await documentWith(SAMPLE);
    await documentWith('不动产权证书 权利人 共有情况 坐落 济南市市中区经七路88号 用途：住宅 面积 120.5㎡');
    const again = await documentWith(SAMPLE);
    expect(again.equals(first)).toBe(true);
  });

  it('shapes every string as a freshly parsed font does, also when the string was seen before', async () => {
    const font = await embedCjkFont(await PDFDocument.create());
    const fresh = fontkit.create(Buffer.from(await cjkFontBytes()));
    const shared = (font as unknown as { embedder: { font: typeof fresh } }).embedder.font;
    const idsOf = (run: ReturnType<typeof fresh.layout>) => run.glyphs.map((glyph) => glyph.id);
    const alphabet = [...'营业执照经营范围软件开发数据处理服务，。；：）（《》“”abcfil ffi123０１'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { maxLength: 30 }).map((chars) => chars.join('')),
        (text) => {
          const expected = idsOf(fresh.layout(text));
          expect(idsOf(shared.layout(text))).toEqual(expected);
          expect(idsOf(shared.layout(text))).toEqual(expected); // remembered
          const width = fresh.layout(text).glyphs.reduce((sum, glyph) => sum + glyph.advanceWidth, 0);
          expect(font.widthOfTextAtSize(text, 1000)).toBeCloseTo((width * 1000) / fresh.unitsPerEm, 6);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('wrapText', () => {
  it('keeps a line within the width even when that strands punctuation', async () => {
    const font = await embedCjkFont(await PDFDocument.create());
    // Moving 《营）， whole to the next line (no 《 at a line end) would make it 48 pt wide.
    const lines = wrapText('c《营），', font, 12, 43);
    expect(lines).toEqual(['c《', '营），']);
    for (const line of lines) expect(font.widthOfTextAtSize(line, 12)).toBeLessThanOrEqual(43);
    // With room for it, the opening bracket does move.
    expect(wrapText('c《营），', font, 12, 50)).toEqual(['c', '《营），']);
  });

  it('loses no character, keeps lines within the width and never starts a line with closing punctuation', async () => {
    const font = await embedCjkFont(await PDFDocument.create());
    const alphabet = [...'营业执照经营范围软件开发数据处理服务，。；：）（《》abc 123'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { maxLength: 120 }).map((chars) => chars.join('')),
        fc.integer({ min: 40, max: 400 }),
        (text, width) => {
          const lines = wrapText(text, font, 12, width);
          expect(lines.join('')).toBe(text);
          for (const [i, line] of lines.entries()) {
            // A single character wider than the box is the only way to overflow it.
            if ([...line].length > 3) expect(font.widthOfTextAtSize(line, 12)).toBeLessThanOrEqual(width);
            if (i > 0 && [...lines[i - 1]!].length > 1 && line.length > 0)
              expect('，。；：）》').not.toContain(line[0]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
