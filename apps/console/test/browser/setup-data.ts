// Data the journeys start from, made through the services' own APIs by the tests' collecting-unit
// system (client credentials): a license issued to a person, a collecting unit, a live item and a
// payment notice.
import { randomUUID } from 'node:crypto';
import { createBanksimClient, createLicenseClient, createPaymentClient, errorBodyOf } from '@platform/contracts';
import { creditCodeCheckChar } from '@platform/identifiers';
import { opsToken, urls, type TestUser } from './platform.ts';

export async function issueIdCard(user: TestUser): Promise<string> {
  const token = await opsToken('urn:platform:license', 'license:issue');
  const client = createLicenseClient({ url: urls().license, getToken: () => token });
  const types = await client.types.list.query({ includeRetired: false });
  const type = types.find((item) => item.name === '居民身份证');
  if (!type) throw new Error('seeded type 居民身份证 missing');
  const issued = await client.issue.mutate({
    caseId: `case-${randomUUID()}`,
    typeCode: type.code,
    holder: { codeType: 'citizen_id', code: user.subjectId, name: user.name },
    fields: {
      name: user.name,
      sex: '男',
      ethnicity: '汉',
      birthDate: '1990-01-01',
      address: '山东省济南市历下区泉城路1号',
      idNumber: user.subjectId,
      issuingOffice: '济南市公安局历下分局',
    },
  });
  return issued.identifier;
}

/** A business licence (营业执照) for a firm, issued by the tests' case system. */
export async function issueBusinessLicence(firm: TestUser): Promise<string> {
  const token = await opsToken('urn:platform:license', 'license:issue');
  const client = createLicenseClient({ url: urls().license, getToken: () => token });
  const type = (await client.types.list.query({ includeRetired: false })).find((item) => item.name === '营业执照');
  if (!type) throw new Error('seeded type 营业执照 missing');
  const issued = await client.issue.mutate({
    caseId: `case-${randomUUID()}`,
    typeCode: type.code,
    holder: { codeType: 'credit_code', code: firm.subjectId, name: firm.name },
    fields: {
      entityName: firm.name,
      entityType: '有限责任公司（自然人投资或控股）',
      legalRepresentative: '王建国',
      registeredCapital: '500万元人民币',
      establishedOn: '2019-06-18',
      businessTerm: '2019年06月18日至长期',
      address: '山东省济南市历下区泺源大街102号',
      businessScope: '软件开发；信息技术咨询服务；数据处理服务',
      registrationAuthority: '济南市历下区市场监督管理局',
    },
  });
  return issued.identifier;
}

let unitSequence = 0;
const PAYMENT_SCOPES =
  'payment:admin payment:notice:create payment:notice:read payment:refund:request payment:refund:review';

/** A collecting unit (mapped to the tests' client), one live fixed-amount item, and its code. */
export async function liveItem(amountFen: number): Promise<{ itemCode: string; unitCode: string }> {
  const token = await opsToken('urn:platform:payment', PAYMENT_SCOPES);
  const client = createPaymentClient({ url: urls().payment, getToken: () => token });
  unitSequence += 1;
  const body = `12370100MB${String(Date.now() % 10_000_000).padStart(7, '0')}`;
  const unitCode = body + creditCodeCheckChar(body);
  try {
    await client.unit.register.mutate({
      creditCode: unitCode,
      name: '济南市测试执收单位',
      clientIds: ['test-unit-system'],
      webhookUrl: null,
    });
  } catch (error) {
    // One client maps to one unit: later journeys reuse the unit the first one registered.
    if (errorBodyOf(error)?.code !== 'PAYMENT_CLIENT_TAKEN') throw error;
  }
  const itemCode = `T${Date.now().toString(36)}${unitSequence}`.slice(0, 32);
  const existingUnit = (await client.item.list.query({})).items[0]?.unitCode;
  const owner = existingUnit ?? unitCode;
  await client.item.create.mutate({
    code: itemCode,
    name: '证照工本费',
    unitCode: owner,
    legalBasis: '财政部 国家发展改革委关于证照工本费的通知',
    amountRule: { kind: 'fixed', amountFen },
    destination: 'treasury',
    category: '01',
  });
  await client.item.transition.mutate({ code: itemCode, status: 'sandbox_tested' });
  await client.item.transition.mutate({ code: itemCode, status: 'live' });
  return { itemCode, unitCode: owner };
}

export async function issueNotice(user: TestUser, itemCode: string): Promise<string> {
  const token = await opsToken('urn:platform:payment', PAYMENT_SCOPES);
  const client = createPaymentClient({
    url: urls().payment,
    getToken: () => token,
    headers: () => ({ 'idempotency-key': randomUUID() }),
  });
  const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const notice = await client.notice.create.mutate({
    payer: { kind: 'natural_person', id: user.subjectId, name: user.name },
    lines: [{ itemCode }],
    dueDate: due,
  });
  return notice.paymentCode;
}

/** Pays a notice at the sandbox bank (as a payer would) and waits until payment records it. */
export async function payNotice(paymentCode: string, payerName: string): Promise<void> {
  const bank = createBanksimClient({ url: urls().banksim });
  await bank.payment.pay.mutate({ paymentCode, payerName, payerAccount: '6222020200000000001' });
  const lookup = createPaymentClient({ url: urls().payment });
  for (let i = 0; i < 60; i += 1) {
    if ((await lookup.notice.lookup.query({ paymentCode })).state === 'paid') return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`notice ${paymentCode} not paid`);
}

/** A refund the collecting unit asked for and verified: it waits for the finance bureau. */
export async function refundAwaitingFinance(paymentCode: string, amountFen: number): Promise<string> {
  const token = await opsToken('urn:platform:payment', PAYMENT_SCOPES);
  const client = createPaymentClient({ url: urls().payment, getToken: () => token });
  const refund = await client.refund.request.mutate({
    paymentCode,
    amountFen,
    reason: '重复缴纳',
    kind: 'over_collection',
    unitInitiated: false,
  });
  await client.refund.review.mutate({ refundId: refund.id, approve: true });
  return refund.id;
}

/** The e-receipt of a paid notice (as the collecting unit reads it). */
export async function receiptOf(paymentCode: string) {
  const token = await opsToken('urn:platform:payment', PAYMENT_SCOPES);
  const client = createPaymentClient({ url: urls().payment, getToken: () => token });
  return client.receipt.get.query({ paymentCode, withPdf: false });
}
