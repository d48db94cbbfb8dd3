// Journeys of a citizen: the wallet, showing a license by QR (after stepping up to trust level 2),
// a verifier checking that QR (pasted, and as a photo of the code), use grants and the usage log,
// and paying a notice through the sandbox bank and back.
import type { Browser } from 'playwright-core';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessible,
  expectText,
  launchBrowser,
  logIn,
  newPage,
  registerFirm,
  registerPerson,
  callAsUser,
  screenshot,
  urls,
  type TestUser,
} from './browser/platform.ts';
import { issueBusinessLicence, issueIdCard, issueNotice, liveItem } from './browser/setup-data.ts';

let browser: Browser;
let user: TestUser;
let identifier: string;

beforeAll(async () => {
  browser = await launchBrowser();
  user = await registerPerson('赵敏');
  identifier = await issueIdCard(user);
});
afterAll(async () => {
  await browser?.close();
});

describe('citizen', () => {
  it('shows the wallet, steps up for the QR, and a verifier checks the QR once', async () => {
    // Wide enough that the QR code is drawn at full size (4 px per module) for the photo below.
    const holder = await newPage(browser, { width: 1400, height: 1200 });
    await logIn(holder.page, user, '/wallet');
    const page = holder.page;
    await expect.poll(() => page.getByRole('heading', { name: '居民身份证' }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'citizen-wallet');

    await page.getByRole('link', { name: '亮证' }).click();
    // Trust level 1 cannot show a license: the service's error is explained and offers the step-up.
    await expectText(page, '此操作需要更高的实名认证等级。');
    await page.getByRole('button', { name: '提升认证等级' }).click();
    await page.waitForURL((url) => url.origin === urls().identity);
    await page.locator('#name').fill(user.name);
    await page.locator('form[action="/step-up/registry"] button[type="submit"]').click();
    await page.waitForURL((url) => url.origin === urls().console && url.pathname.endsWith('/qr'));

    await expectText(page, '秒后自动刷新');
    expect(await page.getByTestId('countdown').textContent()).toMatch(/^\d+ 秒后自动刷新$/);
    // Sensitive fields are off by default; the holder chooses what to disclose.
    expect(await page.getByLabel('住址（敏感信息）').isChecked()).toBe(false);
    expect(await page.getByLabel('姓名', { exact: true }).isChecked()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'citizen-show-qr');
    await page.getByText('二维码内容').click();
    const token = await page.getByTestId('qr-payload').inputValue();
    expect(token.length).toBeGreaterThan(50);

    const verifier = await newPage(browser);
    await verifier.page.goto(`${urls().console}/verify`);
    await verifier.page.getByLabel('二维码内容').fill(token);
    await verifier.page.getByRole('button', { name: '核验', exact: true }).click();
    const result = verifier.page.getByTestId('verification-result');
    await expect.poll(() => result.locator('.verdict').textContent()).toBe('证照真实 · 当前有效');
    expect(await result.textContent()).toContain(user.name.slice(0, 1));
    expect(await result.textContent()).toContain(identifier);
    await expectAccessible(verifier.page);
    await screenshot(verifier.page, 'verify-qr-valid');

    // Single use: the same QR a second time is refused with its meaning.
    await verifier.page.getByRole('button', { name: '核验', exact: true }).click();
    await expect
      .poll(() => result.locator('.failure').textContent())
      .toBe('二维码已被核验过（一次有效），请持证人刷新');

    // A photo of the code: the holder refreshes, the verifier uploads a picture of the QR.
    await page.getByRole('button', { name: '立即刷新' }).click();
    await expect.poll(() => page.getByTestId('qr-payload').inputValue()).not.toBe(token);
    // The code refreshes itself before it expires: take a picture of one that stays on screen.
    let picture: Buffer | undefined;
    let pictured = '';
    for (let attempt = 0; attempt < 5 && !picture; attempt += 1) {
      const before = await page.getByTestId('qr-payload').inputValue();
      const shot = await page.locator('svg.qr').screenshot();
      if ((await page.getByTestId('qr-payload').inputValue()) === before) {
        picture = shot;
        pictured = before;
      }
    }
    await verifier.page
      .getByLabel('上传二维码图片')
      .setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: picture ?? Buffer.alloc(0) });
    await expect.poll(() => verifier.page.getByLabel('二维码内容').inputValue()).toBe(pictured);
    await expect.poll(() => result.locator('.verdict').textContent()).toBe('证照真实 · 当前有效');

    // The holder sees who verified the license, in a log whose hash chain is intact.
    await page.getByRole('navigation').getByRole('link', { name: '用证记录' }).click();
    await expectText(page, '记录完整性校验通过（哈希链完整）');
    expect(await page.getByRole('row').count()).toBeGreaterThan(1);
    await expectAccessible(page);
    await screenshot(page, 'citizen-usage');
    expect(holder.errors).toEqual([]);
    expect(verifier.errors).toEqual([]);
    await holder.context.close();
    await verifier.context.close();
  });

  it('verifies an uploaded license file: not the issued original, and says so with the license status', async () => {
    const { page, errors, context } = await newPage(browser);
    await page.goto(`${urls().console}/verify`);
    // A PDF that names a real license but is not the file its issuer sealed (a copy someone made).
    const copy = await PDFDocument.create();
    copy.addPage();
    copy.setKeywords([identifier]);
    await page.getByLabel('选择证照文件（PDF）').setInputFiles({
      name: 'license.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(await copy.save()),
    });
    const result = page.getByTestId('file-verification-result');
    await expect.poll(() => result.count(), { timeout: 15_000 }).toBe(1);
    const text = await result.innerText();
    expect(text).toContain('文件与签发的电子证照原件完全一致');
    expect(await result.locator('li.check-fail').first().innerText()).toContain('文件与签发的电子证照原件完全一致');
    // No seal service is configured for the license service in this platform: said, not hidden.
    expect(text).toContain('暂时无法核验电子印章');
    expect(text).toContain(identifier);
    expect(text).toContain('有效');
    await expectAccessible(page);
    await screenshot(page, 'verify-file');

    await page.getByLabel('选择证照文件（PDF）').setInputFiles({
      name: 'photo.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('GIF89a, not a PDF'),
    });
    await expectText(page, '文件无法读取：请上传 PDF 格式的电子证照文件。');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows an agent the licenses of the firm it acts for, once the agent has confirmed the firm's authorisation", async () => {
    const agent = await registerPerson('钱经办');
    const firm = await registerFirm(`济南泉城数据有限公司${Date.now() % 10_000}`, user.subjectId);
    const businessLicence = await issueBusinessLicence(firm);

    // The firm authorises the agent for its licenses (license:holder), for 30 days.
    const firmPage = await newPage(browser);
    await logIn(firmPage.page, firm, '/');
    const granted = await callAsUser<{ id: string }>(firmPage.page, 'identity', 'agent.grant', {
      agentSubjectId: agent.subjectId,
      scopes: ['license:holder'],
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    await firmPage.context.close();

    const { page, errors, context } = await newPage(browser);
    await logIn(page, agent, '/wallet');
    // Not before the agent confirms.
    await expectText(page, '您名下暂无电子证照。');
    expect(await page.getByTestId(`firm-${firm.subjectId}`).count()).toBe(0);
    await callAsUser(page, 'identity', 'agent.confirm', { authorizationId: granted.id });
    await page.reload();
    const section = page.getByTestId(`firm-${firm.subjectId}`);
    await expect.poll(() => section.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => section.innerText()).toContain(businessLicence);
    expect(await section.innerText()).toContain(`代理企业证照：${firm.name}`);
    expect(await section.innerText()).toContain('营业执照');
    await expectAccessible(page);
    await screenshot(page, 'agent-wallet');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('creates and revokes a use grant', async () => {
    const { page, errors, context } = await newPage(browser);
    await logIn(page, user, '/grants');
    await page.getByLabel('被授权方（应用标识）').fill('housing-fund-app');
    await page.getByLabel('被授权方名称').fill('济南住房公积金中心');
    await page.getByRole('textbox', { name: '用途', exact: true }).fill('办理公积金提取');
    await page.getByLabel('name', { exact: true }).check();
    await page.getByRole('button', { name: '提交' }).click();
    const row = page.getByRole('row', { name: /济南住房公积金中心/ });
    await expect.poll(() => row.textContent()).toContain('有效');
    await expectAccessible(page);
    await screenshot(page, 'citizen-grants');
    await row.getByRole('button', { name: '撤销授权' }).click();
    await expect.poll(() => row.textContent()).toContain('已撤销');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('pays a notice by its payment code through the sandbox bank and comes back to a paid notice', async () => {
    const { itemCode } = await liveItem(5000);
    const paymentCode = await issueNotice(user, itemCode);
    const { page, errors, context } = await newPage(browser, { width: 390, height: 844 });
    await page.goto(`${urls().console}/pay`);
    await page.getByLabel('缴款码').fill(paymentCode);
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.getByTestId('notice-state').textContent()).toBe('待缴款');
    expect(await page.getByTestId('notice').textContent()).toContain('¥50.00');
    await expectAccessible(page);
    await screenshot(page, 'citizen-pay-notice-phone');
    await page.getByRole('link', { name: /去支付/ }).click();
    await page.getByLabel('付款人姓名').fill(user.name);
    await page.getByRole('button', { name: '确认支付 ¥50.00' }).click();
    await page.waitForURL((url) => url.pathname === `/pay/${paymentCode}` && url.search === '?returned=1');
    await expect.poll(() => page.getByTestId('notice-state').textContent(), { timeout: 20_000 }).toBe('已缴款');
    await expect.poll(() => page.getByText('缴款成功，电子票据已开具。').count()).toBe(1);
    await screenshot(page, 'citizen-paid-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
