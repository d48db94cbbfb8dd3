// A QR code as inline SVG (uqr encodes; React draws the modules), so it scales to any screen. Low
// error correction: presentation tokens are long, and a screen shows them without damage.
import { encode } from 'uqr';
import { t } from '../i18n/index.ts';

/** Pixels per module at full size; CSS shrinks the code to the screen width. */
const MODULE_PX = 4;

export function QrCode({ value, label, size }: { value: string; label: string; size?: number }) {
  let data: boolean[][];
  try {
    data = encode(value, { ecc: 'L', border: 4 }).data;
  } catch {
    // More than a QR code holds (about 2,900 bytes): say so instead of breaking the page.
    return (
      <p className="notice notice-error" role="alert">
        {t.qr.tooLong}
      </p>
    );
  }
  const modules = data.length;
  const pixels = size ?? Math.max(320, modules * MODULE_PX);
  const path: string[] = [];
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) path.push(`M${x} ${y}h1v1h-1z`);
    }),
  );
  return (
    <svg
      className="qr"
      role="img"
      aria-label={label}
      width={pixels}
      height={pixels}
      viewBox={`0 0 ${modules} ${modules}`}
      shapeRendering="crispEdges"
    >
      <rect width={modules} height={modules} fill="#fff" />
      <path d={path.join('')} fill="#000" />
    </svg>
  );
}
