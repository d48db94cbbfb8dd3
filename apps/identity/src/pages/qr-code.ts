// A QR code as inline SVG (one path of unit squares): no script, no image request, so it works under
// the pages' strict CSP and without JavaScript. The quiet zone (4 modules) lets phone cameras lock on.
import { encode } from 'uqr';
import { html, type Html } from './html.ts';

const QUIET_ZONE = 4;

export function qrCodeSvg(text: string, label: string): Html {
  const { data, size } = encode(text, { ecc: 'M', border: 0 });
  let path = '';
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) path += `M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`;
    }),
  );
  const extent = size + 2 * QUIET_ZONE;
  return html`<svg
    class="qr"
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 ${extent} ${extent}"
    role="img"
    aria-label="${label}"
    shape-rendering="crispEdges"
  >
    <rect width="${extent}" height="${extent}" fill="#fff" />
    <path d="${path}" fill="#000" />
  </svg>`;
}
