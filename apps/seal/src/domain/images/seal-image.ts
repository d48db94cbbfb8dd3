// Seal images: SVG from the layout, PNG/raw pixels by resvg with a bundled CJK serif font (the
// machine may have no Chinese fonts at all).
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { layoutSeal, type SealLayout, type SealLayoutInput } from './seal-layout.ts';

export const SEAL_RED = '#e60012';
const FONT_FAMILY = 'Noto Serif SC';
const FONT_FILE = createRequire(import.meta.url).resolve(
  '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
);
/** Pixels per millimetre of the raster (≈ 300 dpi, print quality). */
export const PX_PER_MM = 12;

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
const n = (v: number) => Number(v.toFixed(3));

export function sealSvg(layout: SealLayout): string {
  const { width, height, centre, border } = layout;
  const parts: string[] = [];
  if (layout.shape === 'square') {
    parts.push(
      `<rect x="${n(border / 2)}" y="${n(border / 2)}" width="${n(width - border)}" height="${n(height - border)}" fill="none" stroke="${SEAL_RED}" stroke-width="${n(border)}"/>`,
    );
  } else {
    parts.push(
      `<ellipse cx="${n(centre.x)}" cy="${n(centre.y)}" rx="${n(width / 2 - border / 2)}" ry="${n(height / 2 - border / 2)}" fill="none" stroke="${SEAL_RED}" stroke-width="${n(border)}"/>`,
    );
  }
  if (layout.star) {
    parts.push(
      `<polygon points="${layout.star.points.map((p) => `${n(p.x)},${n(p.y)}`).join(' ')}" fill="${SEAL_RED}"/>`,
    );
  }
  for (const g of layout.arcGlyphs) {
    parts.push(
      `<text x="${n(g.x)}" y="${n(g.y)}" font-size="${n(g.size)}" transform="rotate(${n(g.rotate)} ${n(g.x)} ${n(g.y)})" text-anchor="middle" dominant-baseline="central">${escapeXml(g.char)}</text>`,
    );
  }
  if (layout.caption) {
    const c = layout.caption;
    parts.push(
      `<text x="${n(c.x)}" y="${n(c.y)}" font-size="${n(c.size)}" text-anchor="middle" dominant-baseline="central">${escapeXml(c.text)}</text>`,
    );
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}mm" height="${height}mm" viewBox="0 0 ${width} ${height}">` +
    `<g font-family="${FONT_FAMILY}" font-weight="700" fill="${SEAL_RED}">${parts.join('')}</g></svg>`
  );
}

export interface SealRaster {
  png: Buffer;
  widthPx: number;
  heightPx: number;
  /** Straight (not premultiplied) RGB and alpha planes, for a PDF image XObject with /SMask. */
  rgb: Buffer;
  alpha: Buffer;
}

export function renderSeal(svg: string, widthMm: number): SealRaster {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(widthMm * PX_PER_MM) },
    font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  });
  const image = resvg.render();
  const pixels = image.pixels;
  const count = image.width * image.height;
  const rgb = Buffer.alloc(count * 3);
  const alpha = Buffer.alloc(count);
  for (let i = 0; i < count; i++) {
    const a = pixels[i * 4 + 3]!;
    alpha[i] = a;
    // resvg's pixels are premultiplied by alpha; PDF wants the colour and the mask apart.
    for (let c = 0; c < 3; c++)
      rgb[i * 3 + c] = a === 0 ? 0 : Math.min(255, Math.round((pixels[i * 4 + c]! * 255) / a));
  }
  return { png: image.asPng(), widthPx: image.width, heightPx: image.height, rgb, alpha };
}

export interface SealImage {
  layout: SealLayout;
  svg: string;
  raster: SealRaster;
}

export function drawSeal(input: SealLayoutInput): SealImage {
  const layout = layoutSeal(input);
  const svg = sealSvg(layout);
  return { layout, svg, raster: renderSeal(svg, input.widthMm) };
}
