// /verify/<identifier> by content negotiation: a browser gets a Chinese page with the status and the
// non-sensitive fields only (escaped), every other client the JSON verification result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivingLicenceRequest } from './support/fixtures.ts';
import { startLicenseNode, type LicenseNode } from './support/node.ts';

let node: LicenseNode;
beforeAll(async () => {
  node = await startLicenseNode();
});
afterAll(() => node.close());

const clerk = () => node.client({ scope: 'license:issue license:manage license:read', sub: 'clerk-vp' });
const page = (identifier: string, accept: string) =>
  fetch(`${node.url}/verify/${encodeURIComponent(identifier)}`, { headers: { accept } });

describe('/verify/<identifier>', () => {
  it('answers a browser with the page: status in Chinese, no license fields', async () => {
    const license = await clerk().issue.mutate(drivingLicenceRequest('CASE-VP-1'));
    const html = await page(license.identifier, 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await html.text();
    expect(text).toContain('证照有效');
    expect(text).toContain(license.identifier);
    for (const value of Object.values(drivingLicenceRequest('CASE-VP-1').fields ?? {}))
      if (typeof value === 'string' && value.length > 3) expect(text).not.toContain(value);

    await clerk().revoke.mutate({ identifier: license.identifier, reason: '吊销' });
    expect(await (await page(license.identifier, 'text/html')).text()).toContain('已吊销');
  });

  it('answers other clients with the JSON result', async () => {
    const license = await clerk().issue.mutate(drivingLicenceRequest('CASE-VP-2'));
    const json = await page(license.identifier, 'application/json');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await json.json()) as { status: string }).status).toBe('active');
  });

  it('escapes what the URL carries and says not found', async () => {
    const html = await page('<script>alert(1)</script>', 'text/html');
    expect(html.status).toBe(404);
    const text = await html.text();
    expect(text).toContain('未找到该证照');
    expect(text).not.toContain('<script>');
    const json = await page('<script>', 'application/json');
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('LICENSE_NOT_FOUND');
  });
});
