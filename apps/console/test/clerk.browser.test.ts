// Journeys of a clerk: issue a license from the form generated from its type's field schema (with
// validation messages), batch issue from a CSV file (progress, per-row results), look a license up
// and suspend it with a reason, and the license types catalogue.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLicenseClient } from '@platform/contracts';
import {
  expectAccessible,
  launchBrowser,
  logIn,
  newPage,
  registerPerson,
  screenshot,
  urls,
  type TestUser,
} from './browser/platform.ts';

let browser: Browser;
let clerk: TestUser;
let holder: TestUser;

beforeAll(async () => {
  browser = await launchBrowser();
  clerk = await registerPerson('孙立', ['license-clerk', 'license-admin']);
  holder = await registerPerson('周晴');
});
afterAll(async () => {
  await browser?.close();
});

describe('clerk', () => {
  it('issues a license from the schema-generated form, then suspends it with a reason', async () => {
    const { page, errors, context } = await newPage(browser);
    await logIn(page, clerk, '/clerk/issue');
    await page.getByLabel('证照类型').selectOption({ label: '居民身份证（济南市公安局）' });
    await page.getByLabel('办件编号').fill(`JN-${Date.now()}`);
    await page.getByLabel('证件号码 / 信用代码').fill('370102199001011235');
    await page.getByRole('button', { name: '签发' }).click();
    // Messages beside the fields, before anything is sent.
    await expect.poll(() => page.getByText('身份证件号码不正确（18 位，含校验位）').count()).toBe(1);
    expect(await page.getByText('请填写此项').count()).toBeGreaterThanOrEqual(5);
    await expectAccessible(page);
    await screenshot(page, 'clerk-issue-validation');

    await page.getByLabel('证件号码 / 信用代码').fill(holder.subjectId);
    await page.getByLabel('持证主体名称').fill(holder.name);
    await page.getByLabel('姓名', { exact: true }).fill(holder.name);
    await page.getByLabel('性别').selectOption('女');
    await page.getByLabel('民族').fill('汉');
    await page.getByLabel('出生日期').fill('1990-02-03');
    await page.getByLabel('住址').fill('山东省济南市市中区经七路2号');
    await page.getByLabel('公民身份号码').fill(holder.subjectId);
    await page.getByLabel('签发机关').fill('济南市公安局市中分局');
    await page.getByRole('button', { name: '签发' }).click();
    const issued = page.getByTestId('issued-identifier');
    await expect.poll(() => issued.textContent()).toMatch(/^证照已签发：1\.2\.156\.3005\.2\./);
    const identifier = ((await issued.textContent()) ?? '').replace('证照已签发：', '');
    await screenshot(page, 'clerk-issued');

    await page.getByRole('navigation').getByRole('link', { name: '证照查询' }).click();
    await page.getByLabel('证照标识').fill(identifier);
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.getByTestId('license-status').textContent()).toBe('有效');
    await page.getByRole('button', { name: '暂停' }).click();
    await expect.poll(() => page.getByText('请填写原因').count()).toBe(1);
    await page.getByLabel('原因', { exact: true }).fill('持证人申请暂停使用');
    await page.getByRole('button', { name: '暂停' }).click();
    await expect.poll(() => page.getByTestId('license-status').textContent()).toBe('已暂停');
    await expect.poll(() => page.getByRole('cell', { name: '持证人申请暂停使用' }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'clerk-license-suspended');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('batch issues from a CSV file with a progress bar and a result per row', async () => {
    const { page, errors, context } = await newPage(browser);
    await logIn(page, clerk, '/clerk/batch');
    const stamp = Date.now();
    const header =
      'caseId,typeCode,holderCodeType,holderCode,holderName,validFrom,validUntil,fields.name,fields.sex,fields.ethnicity,fields.birthDate,fields.address,fields.idNumber,fields.issuingOffice';
    const types = await createLicenseClient({ url: urls().license }).types.list.query({ includeRetired: false });
    const type = types.find((item) => item.name === '居民身份证')?.code;
    const good = `B-${stamp}-1,${type},citizen_id,${holder.subjectId},${holder.name},,,${holder.name},女,汉,1990-02-03,济南市历城区,${holder.subjectId},济南市公安局`;
    const bad = `B-${stamp}-2,${type},citizen_id,370102199001011235,错误号码,,,某人,男,汉,1990-01-01,济南市,370102199001011235,济南市公安局`;
    await page.getByLabel('选择 CSV 文件').setInputFiles({
      name: 'batch.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([header, good, bad].join('\n')),
    });
    await page.getByRole('button', { name: '上传并签发' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '批次已完成' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('batch-summary').textContent()).toBe('签发 1 件，重复 0 件，失败 1 件');
    expect(await page.locator('progress').getAttribute('value')).toBe('2');
    expect(await page.getByRole('row', { name: new RegExp(`B-${stamp}-1`) }).textContent()).toContain('已签发');
    expect(await page.getByRole('row', { name: new RegExp(`B-${stamp}-2`) }).textContent()).toContain('失败');
    await expectAccessible(page);
    await screenshot(page, 'clerk-batch');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('creates a license type with its fields, revises it into version 2, and issues with the new form', async () => {
    const { page, errors, context } = await newPage(browser);
    await logIn(page, clerk, '/clerk/types');
    await page.getByRole('button', { name: '新建类型' }).click();
    await page.getByRole('button', { name: '保存类型' }).click();
    // Problems beside the fields, before anything is sent.
    expect(await page.getByText('请填写此项').count()).toBeGreaterThanOrEqual(5);
    await page.getByLabel('类型代码').fill('11370100MB2851902X001');
    await page.getByRole('button', { name: '保存类型' }).click();
    await expect.poll(() => page.getByText('格式不正确').count()).toBe(1);

    const name = `养犬登记证${Date.now() % 100_000}`;
    // A code no earlier run used on this database: the authority's credit code + 3 random digits.
    const code = `113701000042135626${String(100 + Math.floor(Math.random() * 900))}`;
    await page.getByLabel('类型代码').fill(code);
    // The message follows the field as it is corrected.
    await expect.poll(() => page.getByText('格式不正确').count()).toBe(0);
    await page.getByLabel('名称', { exact: true }).fill(name);
    await page.getByLabel('定义部门名称').fill('济南市公安局');
    await page.getByLabel('定义部门统一社会信用代码').fill('113701000042135626');
    await page.getByLabel('默认有效期（天）').fill('365');
    await page.getByLabel('证照标题').fill('养犬登记证');
    await page.getByLabel('字段名（英文）').fill('ownerName');
    await page.getByLabel('显示名称').fill('犬主姓名');
    await page.getByRole('button', { name: '添加字段' }).click();
    const second = page.getByTestId('type-field').nth(1);
    await second.getByLabel('字段名（英文）').fill('breed');
    await second.getByLabel('显示名称').fill('犬种');
    await second.getByLabel('类型', { exact: true }).selectOption('choice');
    await second.getByLabel('可选值（每行一个）').fill('中华田园犬\n柯基');
    await expectAccessible(page);
    await screenshot(page, 'clerk-type-create');
    await page.getByRole('button', { name: '保存类型' }).click();
    await expect.poll(() => page.getByText(`已保存：${name} 第 1 版`).count()).toBe(1);
    const row = page.getByRole('row', { name: new RegExp(name) });
    expect(await row.textContent()).toContain('犬主姓名、犬种');

    await page.getByRole('button', { name: `修订 ${name}` }).click();
    await page.getByRole('button', { name: '添加字段' }).click();
    const third = page.getByTestId('type-field').nth(2);
    await third.getByLabel('字段名（英文）').fill('vaccinated');
    await third.getByLabel('显示名称').fill('已免疫');
    await third.getByLabel('类型', { exact: true }).selectOption('boolean');
    // Printed first from now on.
    await page.getByRole('button', { name: '上移 已免疫' }).click();
    await page.getByRole('button', { name: '上移 已免疫' }).click();
    await page.getByRole('button', { name: '保存类型' }).click();
    await expect.poll(() => page.getByText(`已保存：${name} 第 2 版`).count()).toBe(1);
    expect(await row.textContent()).toContain('已免疫、犬主姓名、犬种');

    const saved = await createLicenseClient({ url: urls().license }).types.get.query({ code });
    expect(saved.version).toBe(2);
    expect(saved.layout.fieldOrder).toEqual(['vaccinated', 'ownerName', 'breed']);
    expect(saved.fieldSchema.properties.breed).toEqual({ type: 'string', title: '犬种', enum: ['中华田园犬', '柯基'] });

    // The issue form is generated from the new version.
    await page.getByRole('navigation').getByRole('link', { name: '签发证照' }).click();
    await page.getByLabel('证照类型').selectOption({ label: `${name}（济南市公安局）` });
    await expect.poll(() => page.getByLabel('犬种').count()).toBe(1);
    expect(await page.getByLabel('已免疫').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists the license types catalogue', async () => {
    const { page, errors, context } = await newPage(browser);
    await logIn(page, clerk, '/clerk/types');
    await expect.poll(() => page.getByRole('row', { name: /营业执照/ }).count()).toBe(1);
    expect(await page.getByRole('row').count()).toBeGreaterThanOrEqual(7);
    await expectAccessible(page);
    await screenshot(page, 'clerk-types');
    expect(errors).toEqual([]);
    await context.close();
  });
});
