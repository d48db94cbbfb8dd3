// Geometry of a seal image, in millimetres, following the common layout of Chinese official seals:
// a red border, a five-pointed star in the centre, the organisation's name along the upper arc
// reading clockwise, and the seal's purpose (e.g. 合同专用章) straight below the star.
export type SealShape = 'round' | 'oval' | 'square';

export interface SealLayoutInput {
  shape: SealShape;
  widthMm: number;
  heightMm: number;
  organisation: string;
  /** Straight text below the star, e.g. 合同专用章; empty for the plain official seal. */
  caption: string;
}

export interface PlacedGlyph {
  char: string;
  x: number;
  y: number;
  /** Rotation in degrees, clockwise, so the glyph stands on the arc facing the centre. */
  rotate: number;
  size: number;
}

export interface SealLayout {
  shape: SealShape;
  width: number;
  height: number;
  centre: { x: number; y: number };
  border: number;
  /** Star: outer radius and its 10 vertices (outer/inner alternating, first one pointing up). */
  star: { radius: number; points: Array<{ x: number; y: number }> } | undefined;
  arcGlyphs: PlacedGlyph[];
  caption: { text: string; x: number; y: number; size: number } | undefined;
  /** Radii of the arc the organisation's name sits on (equal for round seals). */
  textRadius: { x: number; y: number };
}

const DEG = Math.PI / 180;
/** The name never wraps below this angle from the top: leaves room at the bottom of the seal. */
const MAX_SPAN_DEG = 250;

export function starPoints(cx: number, cy: number, outer: number): Array<{ x: number; y: number }> {
  const inner = outer * 0.382; // the regular pentagram's ratio (1/φ²)
  return Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 === 0 ? outer : inner;
    const angle = i * 36 * DEG;
    return { x: cx + r * Math.sin(angle), y: cy - r * Math.cos(angle) };
  });
}

export function layoutSeal(input: SealLayoutInput): SealLayout {
  const { widthMm: width, heightMm: height } = input;
  const centre = { x: width / 2, y: height / 2 };
  const minor = Math.min(width, height);
  const border = Math.max(0.8, minor * 0.03);
  const chars = [...input.organisation];

  if (input.shape === 'square') {
    // Square seals (e.g. finance) carry the name in columns read top-to-bottom, right-to-left.
    const columns = chars.length <= 4 ? 2 : chars.length <= 9 ? 3 : 4;
    const rows = Math.ceil(chars.length / columns);
    const cell = (minor - 2 * border - 2) / Math.max(columns, rows);
    const glyphs = chars.map((char, i) => {
      const column = Math.floor(i / rows);
      const row = i % rows;
      return {
        char,
        x: centre.x + ((columns - 1) / 2 - column) * cell,
        y: centre.y + (row - (rows - 1) / 2) * cell,
        rotate: 0,
        size: cell * 0.9,
      };
    });
    return {
      shape: 'square',
      width,
      height,
      centre,
      border,
      star: undefined,
      arcGlyphs: glyphs,
      caption: undefined,
      textRadius: { x: 0, y: 0 },
    };
  }

  const fontSize = minor * (input.shape === 'oval' ? 0.15 : 0.14);
  const rx = width / 2 - border - fontSize * 0.62 - minor * 0.02;
  const ry = height / 2 - border - fontSize * 0.62 - minor * 0.02;
  // Spread the characters evenly; a short name keeps a natural spacing instead of stretching.
  const naturalStep = (fontSize * 1.15) / Math.min(rx, ry) / DEG;
  const span = Math.min(MAX_SPAN_DEG, naturalStep * (chars.length - 1));
  const step = chars.length > 1 ? span / (chars.length - 1) : 0;
  const arcGlyphs = chars.map((char, i) => {
    const t = (-span / 2 + i * step) * DEG;
    const x = centre.x + rx * Math.sin(t);
    const y = centre.y - ry * Math.cos(t);
    // Facing the centre: the outward normal of the ellipse at t.
    const rotate = Math.atan2(rx * Math.sin(t), ry * Math.cos(t)) / DEG;
    return { char, x, y, rotate, size: fontSize };
  });
  const starRadius = input.shape === 'oval' ? minor * 0.13 : minor * 0.19;
  const starCentreY = input.shape === 'oval' ? centre.y - minor * 0.04 : centre.y;
  const captionSize = minor * 0.1;
  return {
    shape: input.shape,
    width,
    height,
    centre,
    border,
    star: { radius: starRadius, points: starPoints(centre.x, starCentreY, starRadius) },
    arcGlyphs,
    caption: input.caption
      ? { text: input.caption, x: centre.x, y: starCentreY + starRadius + captionSize * 0.9, size: captionSize }
      : undefined,
    textRadius: { x: rx, y: ry },
  };
}
