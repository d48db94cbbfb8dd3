// Fiscal e-receipts sealed by the real seal service (in-process, its own database, the platform's
// token issuer): the collecting unit's finance seal, then the finance bureau's supervision seal over
// that signed content; pdfsig, qpdf and pdftotext check the result. When the seal service is down the
// receipt is not handed out, and the retry seals the very rendering that was kept.
import { errorBodyOf } from '@platform/contracts';
import { applyMigrations, databaseUrlWithName, dropDatabase, ensureDatabase, findFreePort } from '@platform/db';
import {
  activateTestSeal,
  SEAL_MIGRATIONS_DIR,
  SEAL_RESOURCE,
  SealedPdfTools,
  startTestSealService,
  type TestSealService,
} from '@platform/seal/testing';
import { createSealClient } from '@platform/contracts';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { SealServiceReceiptSealer } from '../src/domain/receipts/receipt-sealer.ts';
import { loadEnv } from '../src/env.ts';
import { startPlatform, tomorrow, type Platform } from './support/platform.ts';

const UNIT = { creditCode: '11370100MB2851902F', name: '济南市市场监督管理局' };
const UNIT_CLIENT = 'jinan-market-system';
/** 山东省财政厅 (illustrative credit code with a valid check character). */
const FINANCE_BUREAU = { creditCode: '11370000004100011C', name: '山东省财政厅' };

const tools = new SealedPdfTools();
const { run, write } = tools;

let platform: Platform;
let seal: TestSealService;
let sealDb: { url: string; drop(): Promise<void> };

beforeAll(async () => {
  const sealPort = await findFreePort();
  const sealUrl = `http://127.0.0.1:${sealPort}`;
  // The sealer calls the seal service as the payment service's client (client_credentials in
  // production; here tokens from the platform's test issuer).
  const sealer = new SealServiceReceiptSealer({
    client: createSealClient({
      url: sealUrl,
      getToken: () =>
        platform.issuer.mint({
          sub: 'payment-service',
          client_id: 'payment-service',
          aud: SEAL_RESOURCE,
          scope: 'seal:sign',
        }),
    }),
    supervisorCode: FINANCE_BUREAU.creditCode,
  });
  platform = await startPlatform({ banksimDispatch: false, core: { sealer } });

  const adminUrl = inject('platformDbAdminUrl');
  const name = `${inject('platformDbRunId')}_seal_${Math.random().toString(36).slice(2, 8)}`;
  await ensureDatabase(adminUrl, name);
  sealDb = { url: databaseUrlWithName(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
  await applyMigrations({ migrationsDir: SEAL_MIGRATIONS_DIR, databaseUrl: sealDb.url });
  seal = await startTestSealService({
    databaseUrl: sealDb.url,
    issuerUrl: platform.issuer.issuer,
    mint: (claims) => platform.issuer.mint(claims),
    port: sealPort,
  });
  await activateTestSeal(seal, {
    orgCode: UNIT.creditCode,
    orgName: UNIT.name,
    name: `${UNIT.name}财务专用章`,
    kind: 'finance',
    subjects: ['payment-service'],
    documentTypes: ['fiscal-receipt'],
  });
  await activateTestSeal(seal, {
    orgCode: FINANCE_BUREAU.creditCode,
    orgName: FINANCE_BUREAU.name,
    name: `${FINANCE_BUREAU.name}财政票据监制章`,
    kind: 'finance',
    subjects: ['payment-service'],
    documentTypes: ['fiscal-receipt-supervision'],
  });

  tools.trustRoot(await seal.rootPem());

  await platform.admin.unit.register.mutate({ ...UNIT, clientIds: [UNIT_CLIENT], webhookUrl: null });
  await platform.admin.item.create.mutate({
    code: 'LIC-FEE-100',
    name: '食品经营许可证工本费',
    unitCode: UNIT.creditCode,
    legalBasis: '《食品经营许可管理办法》',
    amountRule: { kind: 'fixed', amountFen: 10_050 },
    destination: 'treasury',
    category: '01',
  });
  for (const status of ['sandbox_tested', 'live'] as const)
    await platform.admin.item.transition.mutate({ code: 'LIC-FEE-100', status });
}, 120_000);

afterAll(async () => {
  await seal?.close();
  await platform?.close();
  await sealDb?.drop();
  tools.remove();
});

async function paidNotice(): Promise<string> {
  const notice = await platform.unitClient(UNIT_CLIENT).notice.create.mutate({
    payer: { kind: 'natural_person', id: '11010519491231002X', name: '张三' },
    lines: [{ itemCode: 'LIC-FEE-100' }],
    dueDate: tomorrow(),
    remark: '济南市历下区泉城路餐饮店',
  });
  await platform.bank.payment.pay.mutate({
    paymentCode: notice.paymentCode,
    payerName: '张三',
    payerAccount: '6222020000000001',
  });
  expect(await platform.banksim.dispatcher.runOnce()).toBe(1);
  return notice.paymentCode;
}

const receiptOf = (paymentCode: string) =>
  platform.unitClient(UNIT_CLIENT).receipt.get.query({ paymentCode, withPdf: true });

describe('sealed fiscal e-receipt', () => {
  let paymentCode: string;
  let pdf: Buffer;
  let receipt: Awaited<ReturnType<typeof receiptOf>>;

  beforeAll(async () => {
    paymentCode = await paidNotice();
    receipt = await receiptOf(paymentCode);
    pdf = Buffer.from(receipt.pdfBase64 ?? '', 'base64');
  }, 60_000);

  it('is recorded as sealed by the seal service with the supervision seal', () => {
    expect(receipt).toMatchObject({ sealed: true, sealer: 'seal-service+supervision' });
  });

  it('carries the unit’s seal and the finance bureau’s supervision seal over it, both valid and trusted', () => {
    const sig = tools.pdfsig(pdf);
    const signatures = sig.out.split(/Signature #\d+:/).slice(1);
    expect(signatures).toHaveLength(2);
    for (const signature of signatures) {
      expect(signature).toContain('Signature Validation: Signature is Valid.');
      expect(signature).toContain('Certificate Validation: Certificate is Trusted.');
    }
    expect(signatures[0]).toContain(`Signer Certificate Common Name: ${UNIT.name}财务专用章`);
    expect(signatures[1]).toContain(`Signer Certificate Common Name: ${FINANCE_BUREAU.name}财政票据监制章`);
    // The supervision signature covers the whole file, including the unit's signature.
    expect(signatures[1]).toContain('Total document signed');
  });

  it('is a clean PDF whose text shows the receipt in Chinese', () => {
    expect(run('qpdf', ['--check', write(pdf)]).code).toBe(0);
    const text = run('pdftotext', [write(pdf), '-']).out.replace(/\s+/g, '');
    expect(text).toContain('非税收入一般缴款书');
    expect(text).toContain(`票据代码：${receipt.receiptCode}`);
    expect(text).toContain(`票据号码：${receipt.receiptNumber}`);
    expect(text).toContain(`校验码：${receipt.checkCode}`);
    expect(text).toContain('交款人：张三');
    expect(text).toContain('食品经营许可证工本费');
    expect(text).toContain('壹佰元伍角');
    expect(text).toContain('￥100.50');
    expect(text).toContain(`收款单位（章）：${UNIT.name}`);
    expect(text).toContain('济南市历下区泉城路餐饮店');
  });

  it('is the same file on every later request (sealed once)', async () => {
    expect((await receiptOf(paymentCode)).pdfBase64).toBe(receipt.pdfBase64);
  });
});

describe('when the seal service is down', () => {
  it('refuses to hand out the receipt, then seals exactly the kept rendering once the service is back', async () => {
    const paymentCode = await paidNotice();
    await seal.stop();
    try {
      let caught: unknown;
      await receiptOf(paymentCode).catch((error: unknown) => (caught = error));
      expect(errorBodyOf(caught)?.code).toBe('RECEIPT_SEAL_UNAVAILABLE');
      const notice = await platform.db.paymentNotice.findUniqueOrThrow({ where: { paymentCode } });
      const row = await platform.db.receipt.findUniqueOrThrow({ where: { noticeId: notice.id } });
      expect(row).toMatchObject({ sealed: false, pdf: null });
      expect(row.renderedPdf).not.toBeNull();

      await seal.start();
      const sealed = await receiptOf(paymentCode);
      expect(sealed.sealed).toBe(true);
      const bytes = Buffer.from(sealed.pdfBase64 ?? '', 'base64');
      // Incremental updates: the signed file begins with the rendering kept before the outage.
      expect(bytes.subarray(0, row.renderedPdf!.length).equals(Buffer.from(row.renderedPdf!))).toBe(true);
    } finally {
      await seal.start();
    }
  }, 60_000);
});

describe('configuration', () => {
  const base = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://u:p@db/payment' };
  it('refuses to start in production without a seal service (no unsealed receipts)', () => {
    expect(() => loadEnv(base)).toThrow(/SEAL_URL/);
  });
  it('needs client credentials to call the seal service', () => {
    expect(() => loadEnv({ ...base, SEAL_URL: 'https://seal.example.gov.cn' })).toThrow(/SERVICE_CLIENT_ID/);
    expect(
      loadEnv({
        ...base,
        SEAL_URL: 'https://seal.example.gov.cn',
        SERVICE_CLIENT_ID: 'payment-service',
        SERVICE_CLIENT_SECRET: 's',
      }).SEAL_URL,
    ).toBe('https://seal.example.gov.cn');
  });
});
