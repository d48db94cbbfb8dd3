import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drawSeal, PX_PER_MM } from './seal-image.ts';
import { layoutSeal } from './seal-layout.ts';

const OUTPUT = new URL('../../../test-output/', import.meta.url);

function pixel(image: ReturnType<typeof drawSeal>, xMm: number, yMm: number) {
  const { raster } = image;
  const x = Math.round(xMm * PX_PER_MM);
  const y = Math.round(yMm * PX_PER_MM);
  const i = y * raster.widthPx + x;
  return { r: raster.rgb[i * 3]!, g: raster.rgb[i * 3 + 1]!, b: raster.rgb[i * 3 + 2]!, a: raster.alpha[i]! };
}

describe('seal image', () => {
  it('lays the name of a round seal symmetrically on an arc above the star', () => {
    const layout = layoutSeal({
      shape: 'round',
      widthMm: 42,
      heightMm: 42,
      organisation: '福州市数据管理局',
      caption: '',
    });
    expect(layout.centre).toEqual({ x: 21, y: 21 });
    const glyphs = layout.arcGlyphs;
    expect(glyphs).toHaveLength(8);
    for (const g of glyphs) {
      // Every character sits on the text circle, inside the border, facing the centre.
      expect(Math.hypot(g.x - 21, g.y - 21)).toBeCloseTo(layout.textRadius.x, 6);
      expect(Math.hypot(g.x - 21, g.y - 21) + g.size / 2).toBeLessThan(21 - layout.border);
      const expectedRotate = (Math.atan2(g.x - 21, 21 - g.y) * 180) / Math.PI;
      expect(g.rotate).toBeCloseTo(expectedRotate, 6);
    }
    // Symmetric about the vertical axis and read clockwise (left to right across the top).
    expect(glyphs[0]!.rotate).toBeCloseTo(-glyphs[7]!.rotate, 6);
    expect(glyphs[0]!.x).toBeLessThan(glyphs[7]!.x);
    expect(glyphs[0]!.rotate).toBeLessThan(0);
    // A long name never runs under the star: at most 250° of arc.
    const long = layoutSeal({
      shape: 'round',
      widthMm: 42,
      heightMm: 42,
      organisation: '某某省某某市某某区人民政府办公室行政审批服务中心',
      caption: '',
    });
    expect(long.arcGlyphs[0]!.rotate).toBeCloseTo(-125, 6);
    // The star is regular, centred and points up.
    const star = layout.star!;
    expect(star.points[0]!.x).toBeCloseTo(21, 9);
    expect(star.points[0]!.y).toBeCloseTo(21 - star.radius, 9);
    for (let i = 0; i < 10; i += 2)
      expect(Math.hypot(star.points[i]!.x - 21, star.points[i]!.y - 21)).toBeCloseTo(star.radius, 9);
  });

  it('renders a red round seal at its size in millimetres and keeps the PNG for people to look at', () => {
    const image = drawSeal({
      shape: 'round',
      widthMm: 42,
      heightMm: 42,
      organisation: '福州市数据管理局',
      caption: '合同专用章',
    });
    expect(image.raster.widthPx).toBe(42 * PX_PER_MM);
    expect(image.raster.heightPx).toBe(42 * PX_PER_MM);
    expect(image.svg).toContain('width="42mm" height="42mm"');
    // centre of the star: solid red; corner outside the circle: transparent; top of the ring: red.
    expect(pixel(image, 21, 21)).toEqual({ r: 230, g: 0, b: 18, a: 255 });
    expect(pixel(image, 1, 1).a).toBe(0);
    expect(pixel(image, 21, image.layout.border / 2)).toMatchObject({ r: 230, a: 255 });
    // The name's glyphs actually rendered (a CJK font was found): ink around the first character.
    const first = image.layout.arcGlyphs[0]!;
    let ink = 0;
    for (let dx = -1.5; dx <= 1.5; dx += 0.25)
      for (let dy = -1.5; dy <= 1.5; dy += 0.25) if (pixel(image, first.x + dx, first.y + dy).a > 128) ink++;
    expect(ink).toBeGreaterThan(20);
    mkdirSync(OUTPUT, { recursive: true });
    writeFileSync(new URL('seal-round.png', OUTPUT), image.raster.png);
    writeFileSync(new URL('seal-round.svg', OUTPUT), image.svg);
  });

  it('renders oval and square seals', () => {
    const oval = drawSeal({
      shape: 'oval',
      widthMm: 40,
      heightMm: 30,
      organisation: '福州市数据管理局',
      caption: '发票专用章',
    });
    expect([oval.raster.widthPx, oval.raster.heightPx]).toEqual([480, 360]);
    for (const g of oval.layout.arcGlyphs) {
      const { x: rx, y: ry } = oval.layout.textRadius;
      expect(((g.x - 20) / rx) ** 2 + ((g.y - 15) / ry) ** 2).toBeCloseTo(1, 6);
    }
    const square = drawSeal({ shape: 'square', widthMm: 22, heightMm: 22, organisation: '财务专用章', caption: '' });
    expect(pixel(square, 0.3, 11).a).toBe(255);
    writeFileSync(new URL('seal-oval.png', OUTPUT), oval.raster.png);
    writeFileSync(new URL('seal-square.png', OUTPUT), square.raster.png);
  });
});
