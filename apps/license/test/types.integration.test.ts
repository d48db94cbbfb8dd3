// The license-type catalogue over HTTP: seeds, creating, versioning and retiring, and bad definitions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_TYPES } from '../src/domain/types/seed-types.ts';
import { BUSINESS_LICENCE, businessLicenceRequest, creditCode } from './support/fixtures.ts';
import { expectAppError, startLicenseNode, type LicenseNode } from './support/node.ts';

let node: LicenseNode;
beforeAll(async () => {
  node = await startLicenseNode();
});
afterAll(() => node.close());

const admin = () => node.client({ scope: 'license:admin' });
const NEW_CODE = creditCode('11370000MB2850999') + '001';
const definition = {
  code: NEW_CODE,
  name: '烟草专卖零售许可证',
  issuingAuthority: { name: '济南市烟草专卖局', code: creditCode('12370100MB2851111') },
  holderKind: 'any' as const,
  fieldSchema: {
    type: 'object' as const,
    properties: {
      operatorName: { type: 'string' as const, title: '经营者名称', maxLength: 200 },
      premises: { type: 'string' as const, title: '经营场所', 'x-sensitive': true },
    },
    required: ['operatorName'],
    additionalProperties: false as const,
  },
  validity: { defaultDays: 1826, maxDays: 1826, longTermAllowed: false },
  layout: {
    title: '烟草专卖零售许可证',
    orientation: 'portrait' as const,
    fieldOrder: ['operatorName', 'premises'],
    qrPosition: 'bottom-right' as const,
  },
};

describe('license types', () => {
  it('starts with the six seed types, publicly readable, with their sensitive fields marked', async () => {
    const types = await node.anonymous.types.list.query({ includeRetired: false });
    expect(types.map((t) => t.name).sort()).toEqual(
      ['不动产权证书', '居民身份证', '教师资格证', '机动车驾驶证', '营业执照', '食品经营许可证'].sort(),
    );
    const idCard = types.find((t) => t.name === '居民身份证');
    expect(idCard?.holderKind).toBe('person');
    expect(idCard?.fieldSchema.properties.idNumber).toMatchObject({ format: 'citizen-id', 'x-sensitive': true });
    expect(types.every((t) => t.version === 1 && t.status === 'active')).toBe(true);
    // Seeding again adds nothing.
    expect(await node.core.types.seed()).toBe(0);
  });

  it('lets an admin create a type, refuses a second create of the same code, and needs the admin scope', async () => {
    await expectAppError(node.client({ scope: 'license:issue' }).types.create.mutate(definition), 'INSUFFICIENT_SCOPE');
    const created = await admin().types.create.mutate(definition);
    expect(created).toMatchObject({ code: NEW_CODE, version: 1, name: '烟草专卖零售许可证', status: 'active' });
    await expectAppError(admin().types.create.mutate(definition), 'LICENSE_TYPE_EXISTS');
  });

  it('refuses unusable definitions with the offending paths', async () => {
    const bad = {
      ...definition,
      code: creditCode('11370000MB2850888') + '002',
      fieldSchema: {
        ...definition.fieldSchema,
        properties: {
          ...definition.fieldSchema.properties,
          count: { type: 'integer' as const, title: '数量', pattern: '[' },
        },
        required: ['operatorName', 'missing'],
      },
      layout: { ...definition.layout, fieldOrder: ['nope'] },
      validity: { defaultDays: null, maxDays: null, longTermAllowed: false },
    };
    const error = await expectAppError(admin().types.create.mutate(bad), 'LICENSE_TYPE_DEFINITION_INVALID');
    expect(error.issues?.map((i) => i.path).sort()).toEqual(
      [
        'fieldSchema.required',
        'fieldSchema.properties.count.pattern',
        'fieldSchema.properties.count.pattern',
        'layout.fieldOrder',
        'validity.defaultDays',
      ].sort(),
    );
    await expectAppError(admin().types.get.query({ code: bad.code }), 'LICENSE_TYPE_NOT_FOUND');
  });

  it('versions a type: new licenses use the new version, earlier licenses keep theirs', async () => {
    const issuer = node.client({ scope: 'license:issue license:read' });
    const before = await issuer.issue.mutate(businessLicenceRequest('CASE-TYPES-1'));
    const seed = SEED_TYPES.find((t) => t.code === BUSINESS_LICENCE.code);
    if (!seed) throw new Error('seed missing');
    const revised = await admin().types.revise.mutate({
      ...seed,
      fieldSchema: {
        ...seed.fieldSchema,
        properties: { ...seed.fieldSchema.properties, website: { type: 'string', title: '网址', maxLength: 200 } },
        required: [...seed.fieldSchema.required, 'website'],
      },
    });
    expect(revised.version).toBe(2);
    expect(
      (await node.anonymous.types.get.query({ code: seed.code, version: 1 })).fieldSchema.properties.website,
    ).toBeUndefined();
    // The old license still reads with version 1.
    expect((await issuer.get.query({ identifier: before.identifier })).type.version).toBe(1);
    // A new license needs the new required field.
    const error = await expectAppError(
      issuer.issue.mutate(businessLicenceRequest('CASE-TYPES-2')),
      'LICENSE_FIELDS_INVALID',
    );
    expect(error.issues).toEqual([{ path: 'fields.website', message: 'is required' }]);
    const after = await issuer.issue.mutate(
      businessLicenceRequest('CASE-TYPES-3', {
        fields: { ...businessLicenceRequest('x').fields, website: 'https://qc.example.cn' },
      }),
    );
    expect(after.type.version).toBe(2);
  });

  it('retires a type: it stays readable, but nothing new is issued or versioned under it', async () => {
    const retired = await admin().types.retire.mutate({ code: NEW_CODE, reason: '并入综合许可' });
    expect(retired).toMatchObject({ status: 'retired', retiredReason: '并入综合许可' });
    expect((await node.anonymous.types.list.query({ includeRetired: false })).some((t) => t.code === NEW_CODE)).toBe(
      false,
    );
    expect((await node.anonymous.types.list.query({ includeRetired: true })).some((t) => t.code === NEW_CODE)).toBe(
      true,
    );
    await expectAppError(
      node.client({ scope: 'license:issue' }).issue.mutate({
        caseId: 'CASE-RETIRED',
        typeCode: NEW_CODE,
        holder: businessLicenceRequest('x').holder,
        fields: { operatorName: '某商店' },
      }),
      'LICENSE_TYPE_RETIRED',
    );
    await expectAppError(admin().types.revise.mutate(definition), 'LICENSE_TYPE_RETIRED');
  });
});
