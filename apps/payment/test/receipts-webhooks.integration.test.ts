// After payment: the fiscal e-receipt (PDF, verification, honest "sealed" flag), webhooks with
// retries and replay, and the channel's daily statement.
import { createServer, type Server } from 'node:http';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffSeconds } from '../src/domain/webhooks/webhook-dispatcher.ts';
import { verifyWebhook } from '../src/domain/webhooks/webhook-signature.ts';
import { CITIZEN, UNIT, seedCatalogue, startPlatform, tomorrow, type Platform } from './support/platform.ts';

let platform: Platform;
let receiver: Server;
let failNext = 0;
const deliveries: Array<{ signature: string; body: string }> = [];
let secret: string;
let paymentCode: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end();
        return;
      }
      deliveries.push({ signature: String(req.headers['platform-signature']), body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  platform = await startPlatform({ banksimDispatch: false });
  const port = (receiver.address() as { port: number }).port;
  secret = (await seedCatalogue(platform, `http://127.0.0.1:${port}/hooks`)).webhookSecret;
  const notice = await platform.unitClient().notice.create.mutate({
    payer: CITIZEN,
    lines: [{ itemCode: 'FINE-200' }],
    dueDate: tomorrow(),
    remark: 'plate 鲁A12345',
  });
  paymentCode = notice.paymentCode;
  await platform.bank.payment.pay.mutate({ paymentCode, payerName: 'Zhang San', payerAccount: '6222020000000001' });
  expect(await platform.banksim.dispatcher.runOnce()).toBe(1);
});
afterAll(async () => {
  await platform?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('fiscal e-receipt', () => {
  it('is issued on payment with an 8-digit code, a 10-digit number and a 6-digit check code', async () => {
    const receipt = await platform.unitClient().receipt.get.query({ paymentCode });
    const year = String(new Date().getUTCFullYear() % 100).padStart(2, '0');
    expect(receipt.receiptCode).toBe(`${UNIT.creditCode.slice(2, 4)}0101${year}`);
    expect(receipt.receiptNumber).toMatch(/^\d{10}$/);
    expect(receipt.checkCode).toMatch(/^\d{6}$/);
    expect(receipt).toMatchObject({ totalFen: 20_000, refundedFen: 0, sealed: false, sealer: null, pdfBase64: null });
    expect(receipt.fields).toMatchObject({
      businessCode: paymentCode,
      currency: 'CNY',
      issuingParty: { name: UNIT.name, creditCode: UNIT.creditCode },
      payer: { name: 'Zhang San' },
      payMode: 'online_bank',
      remark: 'plate 鲁A12345',
    });
  });

  it('renders a PDF carrying every field, and records that the development sealer did not seal it', async () => {
    const receipt = await platform.unitClient().receipt.get.query({ paymentCode, withPdf: true });
    expect(receipt.sealed).toBe(false);
    expect(receipt.sealer).toBe('development-unsealed');
    const bytes = Buffer.from(receipt.pdfBase64 ?? '', 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toBe(`Fiscal e-receipt ${receipt.receiptCode}-${receipt.receiptNumber}`);
    expect(bytes.includes(Buffer.from('receipt.json'))).toBe(true);
    // Rendered once: a second request returns the stored bytes.
    const again = await platform.unitClient().receipt.get.query({ paymentCode, withPdf: true });
    expect(again.pdfBase64).toBe(receipt.pdfBase64);
  });

  it('verifies by code, number and check code, and only with all three right', async () => {
    const receipt = await platform.unitClient().receipt.get.query({ paymentCode });
    const ok = await platform.admin.receipt.verify.query({
      receiptCode: receipt.receiptCode,
      receiptNumber: receipt.receiptNumber,
      checkCode: receipt.checkCode,
    });
    expect(ok).toMatchObject({ valid: true, receipt: { totalFen: 20_000, payerName: 'Zhang San', sealed: false } });
    const wrong = String((Number(receipt.checkCode) + 1) % 1_000_000).padStart(6, '0');
    expect(
      await platform.admin.receipt.verify.query({
        receiptCode: receipt.receiptCode,
        receiptNumber: receipt.receiptNumber,
        checkCode: wrong,
      }),
    ).toEqual({ valid: false, receipt: null });
  });
});

describe('webhooks', () => {
  it('retries a failed delivery with backoff, then delivers it signed; replay sends it again', async () => {
    failNext = 1;
    expect(await platform.payment.core.webhooks.runOnce()).toBe(0);
    const [pending] = (await platform.unitClient().webhook.list.query({ paymentCode })).events;
    expect(pending).toMatchObject({
      type: 'notice.paid',
      sequence: 1,
      status: 'pending',
      attempts: 1,
      lastError: 'HTTP 500',
    });
    const wait = (Date.parse(pending?.nextAttemptAt ?? '') - Date.now()) / 1000;
    expect(wait).toBeGreaterThan(25);
    expect(wait).toBeLessThanOrEqual(30);
    // Not due yet: nothing is sent.
    expect(await platform.payment.core.webhooks.runOnce()).toBe(0);
    await platform.db.$executeRaw`UPDATE webhook_event SET next_attempt_at = now() WHERE status = 'pending'`;
    expect(await platform.payment.core.webhooks.runOnce()).toBe(1);
    expect(deliveries).toHaveLength(1);
    const delivery = deliveries[0];
    expect(verifyWebhook(secret, delivery?.body ?? '', delivery?.signature ?? '', Math.floor(Date.now() / 1000))).toBe(
      true,
    );
    // A stale signature is refused by the receiver's check.
    expect(
      verifyWebhook(secret, delivery?.body ?? '', delivery?.signature ?? '', Math.floor(Date.now() / 1000) + 301),
    ).toBe(false);
    const [delivered] = (await platform.unitClient().webhook.list.query({ paymentCode })).events;
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });

    const replayed = await platform.unitClient().webhook.replay.mutate({ eventId: delivered?.id ?? '' });
    expect(replayed.status).toBe('pending');
    expect(await platform.payment.core.webhooks.runOnce()).toBe(1);
    expect(deliveries).toHaveLength(2);
    expect(JSON.parse(deliveries[1]?.body ?? '{}')).toMatchObject({
      id: delivered?.id,
      sequence: 1,
      type: 'notice.paid',
    });
  });

  it('backs off exponentially up to six hours', () => {
    expect([1, 2, 3, 4].map(backoffSeconds)).toEqual([30, 60, 120, 240]);
    expect(backoffSeconds(30)).toBe(6 * 3600);
    // 20 attempts span more than two days.
    const total = Array.from({ length: 19 }, (_, i) => backoffSeconds(i + 1)).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(2 * 86_400);
  });

  it('does not let a unit see or replay another unit’s events', async () => {
    const [event] = (await platform.unitClient().webhook.list.query({ paymentCode })).events;
    const other = platform.unitClient('exam-authority-system');
    expect((await other.webhook.list.query({ paymentCode })).events).toEqual([]);
    await expect(other.webhook.replay.mutate({ eventId: event?.id ?? '' })).rejects.toMatchObject({
      data: { code: 'WEBHOOK_EVENT_NOT_FOUND' },
    });
  });
});

describe('daily statement', () => {
  it('lists the day’s succeeded payments as CSV', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const response = await fetch(`${platform.banksimUrl}/statements/${today}.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = (await response.text()).trim().split('\n');
    expect(header).toBe(
      'bank_serial,payment_code,amount_fen,confirmed_at,pay_mode,outlet,type,original_serial,merchant_ref',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.split(',').slice(1, 3)).toEqual([paymentCode, '20000']);
    expect(rows[0]?.split(',').slice(-3)).toEqual(['payment', '', '']);
    const empty = await (await fetch(`${platform.banksimUrl}/statements/2001-01-01.csv`)).text();
    expect(empty).toBe(
      'bank_serial,payment_code,amount_fen,confirmed_at,pay_mode,outlet,type,original_serial,merchant_ref\n',
    );
    expect((await fetch(`${platform.banksimUrl}/statements/2026-13-01.csv`)).status).toBe(404);
  });
});
