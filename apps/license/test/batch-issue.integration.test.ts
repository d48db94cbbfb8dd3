// Batch issue: a 200-row upload with invalid rows and duplicates is issued in the background with an
// exact per-row result, and re-submitting it issues nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessLicenceRequest, citizenId, creditCode, drivingLicenceRequest } from './support/fixtures.ts';
import { createLicenseCore } from '../src/composition.ts';
import { testEnv } from './support/env.ts';
import { expectAppError, startLicenseNode, type LicenseNode } from './support/node.ts';

let node: LicenseNode;
beforeAll(async () => {
  node = await startLicenseNode();
});
afterAll(() => node.close());

const clerk = () => node.client({ sub: 'clerk-batch', scope: 'license:issue' });

function row(i: number, caseId = `BATCH-${i}`) {
  const name = `济南第${i}号软件有限公司`;
  const request = businessLicenceRequest(caseId, {
    holder: { codeType: 'credit_code', code: creditCode(`91370102MA${100000 + i}P`), name },
  });
  return { ...request, fields: { ...request.fields, entityName: name } } as Record<string, unknown>;
}

async function finished(batchId: string) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const view = await clerk().batch.get.query({ batchId });
    if (view.done) return view;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`batch ${batchId} did not finish`);
}

describe('license.batch.issue', () => {
  it('issues a 200-row batch with exact per-row outcomes, and a re-submission issues nothing twice', async () => {
    const before = await clerk().issue.mutate(row(160) as never);
    const rows = Array.from({ length: 200 }, (_, i) => row(i));
    rows[17] = { ...row(17), holder: { codeType: 'credit_code', code: '91370102MA1000170', name: 'x' } };
    rows[42] = { ...row(42), typeCode: '11100000000013338W999' };
    const incomplete = row(99);
    delete (incomplete.fields as Record<string, unknown>).legalRepresentative;
    rows[99] = incomplete;
    rows[150] = row(10);
    rows[151] = row(11);
    rows[170] = { ...row(12), fields: { ...(row(12).fields as object), address: '另一个地址' } };

    const submitted = await clerk().batch.issue.mutate({ rows });
    expect(submitted).toMatchObject({ total: 200, done: false });
    const result = await finished(submitted.id);

    const errors = Object.fromEntries(
      result.rows.filter((r) => r.outcome === 'error').map((r) => [r.index, r.error?.code]),
    );
    expect(errors).toEqual({
      17: 'LICENSE_BATCH_ROW_INVALID',
      42: 'LICENSE_TYPE_NOT_FOUND',
      99: 'LICENSE_FIELDS_INVALID',
      170: 'IDEMPOTENCY_KEY_REUSED',
    });
    const duplicates = result.rows.filter((r) => r.outcome === 'duplicate');
    expect(duplicates.map((r) => r.index)).toEqual([150, 151, 160]);
    const identifierOf = (index: number) => result.rows[index]?.identifier;
    expect(identifierOf(150)).toBe(identifierOf(10));
    expect(identifierOf(151)).toBe(identifierOf(11));
    expect(identifierOf(160)).toBe(before.identifier);
    expect(result).toMatchObject({ total: 200, processed: 200, issued: 193, duplicates: 3, errors: 4, done: true });
    expect(result.completedAt).not.toBeNull();
    expect(new Set(result.rows.filter((r) => r.outcome === 'issued').map((r) => r.identifier)).size).toBe(193);
    expect(await node.db.license.count()).toBe(194);

    const again = await finished((await clerk().batch.issue.mutate({ rows })).id);
    expect(again).toMatchObject({ issued: 0, duplicates: 196, errors: 4 });
    expect(again.rows.map((r) => r.identifier)).toEqual(result.rows.map((r) => r.identifier));
    expect(await node.db.license.count()).toBe(194);
  }, 120_000);

  it('reads CSV rows of several types, typing array fields from the license type', async () => {
    const business = row(300, 'CSV-1') as { fields: Record<string, string>; holder: { code: string; name: string } };
    const driving = drivingLicenceRequest('CSV-2', citizenId('37010219850312000'));
    const fieldNames = [...new Set([...Object.keys(business.fields), ...Object.keys(driving.fields)])];
    const header = ['caseId', 'typeCode', 'holderCodeType', 'holderCode', 'holderName'];
    const cell = (value: unknown) =>
      `"${(Array.isArray(value) ? value.join('|') : String(value ?? '')).replaceAll('"', '""')}"`;
    const line = (
      r: { caseId: string; typeCode: string; holder: { codeType: string; code: string; name: string } },
      fields: Record<string, unknown>,
    ) =>
      [r.caseId, r.typeCode, r.holder.codeType, r.holder.code, r.holder.name, ...fieldNames.map((f) => fields[f])]
        .map(cell)
        .join(',');
    const csv = [
      [...header, ...fieldNames.map((f) => `fields.${f}`)].join(','),
      line(business as never, business.fields),
      line(driving, { ...driving.fields, vehicleClasses: ['C1', 'D'] }),
    ].join('\r\n');
    const result = await finished((await clerk().batch.issue.mutate({ csv })).id);
    expect(result.rows.map((r) => r.outcome)).toEqual(['issued', 'issued']);
    const reader = node.client({ scope: 'license:read' });
    const licence = await reader.get.query({ identifier: result.rows[1]?.identifier ?? '' });
    expect(licence).toMatchObject({ caseId: 'CSV-2', fields: { vehicleClasses: ['C1', 'D'], name: '李明' } });
  }, 60_000);

  it('shares rows between replicas without processing any twice', async () => {
    // A second replica on the same database (a twin core); a row processed twice would end "duplicate".
    const twin = createLicenseCore(testEnv('postgresql://twin.invalid/license'), node.db, { clock: node.clock });
    const rows = Array.from({ length: 60 }, (_, i) => row(400 + i));
    const { id } = await twin.batches.submit({ rows }, { subject: 'clerk-batch' });
    const rounds = async (core: typeof twin) => {
      while ((await core.batches.processRound()) > 0);
    };
    await Promise.all([rounds(twin), rounds(node.core), rounds(twin), rounds(node.core)]);
    const result = await finished(id);
    expect(result).toMatchObject({ issued: 60, duplicates: 0, errors: 0 });
  }, 60_000);

  it('refuses a CSV with unknown columns, and callers without the issue scope', async () => {
    await expectAppError(clerk().batch.issue.mutate({ csv: 'caseId,colour\nA,red' }), 'LICENSE_BATCH_INVALID');
    await expectAppError(
      node.client({ scope: 'license:read' }).batch.issue.mutate({ rows: [row(1)] }),
      'INSUFFICIENT_SCOPE',
    );
  });

  // Last in this file: the worker goes on with these rows after the test, and batches are taken oldest first.
  it('takes a 10,000-row upload (over the 1 MiB every other call is limited to) and stores every row', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => row(20_000 + i));
    const body = JSON.stringify({ rows });
    expect(Buffer.byteLength(body)).toBeGreaterThan(4 * 1_048_576);
    const submitted = await clerk().batch.issue.mutate({ rows });
    expect(submitted).toMatchObject({ total: 10_000 });
    expect(submitted.rows).toHaveLength(10_000);
    expect(submitted.rows.map((r) => r.caseId).slice(0, 2)).toEqual(['BATCH-20000', 'BATCH-20001']);
    expect(await node.db.licenseBatchRow.count({ where: { batchId: submitted.id } })).toBe(10_000);
    // The raised limit is batch.issue's alone: the same bytes to another procedure are refused (413).
    const response = await fetch(`${node.url}/api/licenses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  }, 120_000);
});
