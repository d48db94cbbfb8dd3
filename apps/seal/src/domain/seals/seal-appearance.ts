// What a seal of each kind looks like: its shape and the text below the star (common practice:
// round official and special-purpose seals, a square finance seal, an oval invoice seal).
import type { SealKind } from '@platform/contracts';
import { drawSeal, renderSeal, type SealRaster } from '../images/seal-image.ts';
import type { SealShape } from '../images/seal-layout.ts';

const APPEARANCE: Record<SealKind, { shape: SealShape; caption: string }> = {
  official: { shape: 'round', caption: '' },
  contract: { shape: 'round', caption: '合同专用章' },
  finance: { shape: 'square', caption: '财务专用章' },
  invoice: { shape: 'oval', caption: '发票专用章' },
  business: { shape: 'round', caption: '业务专用章' },
};

export interface SealArtwork {
  svg: string;
  png: Buffer;
}

export function drawSealOf(seal: { kind: SealKind; orgName: string; widthMm: number; heightMm: number }): SealArtwork {
  const { shape, caption } = APPEARANCE[seal.kind];
  const image = drawSeal({
    shape,
    caption,
    organisation: seal.orgName,
    widthMm: seal.widthMm,
    heightMm: seal.heightMm,
  });
  return { svg: image.svg, png: image.raster.png };
}

/** Rasters for PDF appearances, rendered once per seal from its stored SVG (deterministic). */
export class SealRasterCache {
  private readonly rasters = new Map<string, SealRaster>();

  constructor(private readonly capacity = 200) {}

  rasterOf(sealId: string, svg: string, widthMm: number): SealRaster {
    const cached = this.rasters.get(sealId);
    if (cached) return cached;
    const raster = renderSeal(svg, widthMm);
    if (this.rasters.size >= this.capacity) {
      const oldest = this.rasters.keys().next().value;
      if (oldest !== undefined) this.rasters.delete(oldest);
    }
    this.rasters.set(sealId, raster);
    return raster;
  }
}
