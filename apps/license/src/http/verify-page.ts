// The human-readable answer of /verify/<identifier>: a phone that scanned a license file's QR code
// asks for text/html and gets a page in Chinese. Built from the anonymous verification result only,
// so it shows exactly what the JSON answer shows (status, type, issuer, masked holder, dates) and
// never the license's fields.
import type { VerificationResult } from '@platform/contracts';

const STATUS_TEXT: Record<string, string> = {
  active: '有效',
  suspended: '已暂扣',
  revoked: '已吊销',
  expired: '已过期',
  unknown: '状态暂时无法确认',
};

/** Every value on the page comes from the database or the URL: escape it all. */
function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function date(instant: string | null): string {
  return instant ? instant.slice(0, 10) : '—';
}

export function renderVerifyPage(identifier: string, result: VerificationResult): string {
  const found = result.status !== null;
  const verdict = !found
    ? '未找到该证照'
    : result.valid
      ? '证照有效'
      : `证照无效：${STATUS_TEXT[result.status ?? 'unknown'] ?? result.status}`;
  const rows: Array<[string, string]> = found
    ? [
        ['证照编号', result.identifier ?? identifier],
        ['状态', STATUS_TEXT[result.status ?? 'unknown'] ?? String(result.status)],
        ['证照类型', result.type?.name ?? '—'],
        ['发证机关', result.issuer?.name ?? '—'],
        ['持证主体', result.holderName ?? '—'],
        ['有效期起', date(result.validFrom)],
        ['有效期至', date(result.validUntil)],
      ]
    : [['证照编号', identifier]];
  const table = rows
    .map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>证照核验</title></head>
<body><main><h1>证照核验</h1>
<p role="status" data-valid="${result.valid}">${escapeHtml(verdict)}</p>
<table>${table}</table></main></body></html>`;
}
