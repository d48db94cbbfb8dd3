// The license type editor's draft: what the form shows for an existing type turns back into the same
// definition (nothing the form cannot show is lost on revision), rows are the print order, and the
// problems the form reports before sending.
import { describe, expect, it } from 'vitest';
import { licenseContract, type LicenseTypeView } from '@platform/contracts';
import {
  definitionOf,
  draftOf,
  draftProblems,
  emptyDraft,
  emptyField,
  moveField,
  type TypeDraft,
} from '../src/web/license-type-draft.ts';

const foodPermit: LicenseTypeView = {
  id: '7f1f3a52-8a40-4c5c-9d55-4c1fb3d7b001',
  code: '11370100MB2851902F011',
  version: 3,
  status: 'active',
  retiredAt: null,
  retiredReason: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  name: '食品经营许可证',
  issuingAuthority: { name: '济南市市场监督管理局', code: '11370100MB2851902F' },
  holderKind: 'organization',
  fieldSchema: {
    type: 'object',
    properties: {
      operatorName: { type: 'string', title: '经营者名称', maxLength: 200 },
      mainBusinessFormat: { type: 'string', title: '主体业态', enum: ['食品销售经营者', '餐饮服务经营者'] },
      businessItems: { type: 'array', title: '经营项目', items: { type: 'string', maxLength: 100 }, maxItems: 30 },
      permitNumber: { type: 'string', title: '许可证编号', pattern: 'JY[1-3][0-9]{13}' },
      legalRepresentativeId: { type: 'string', title: '负责人身份证号', format: 'citizen-id', 'x-sensitive': true },
      area: { type: 'number', title: '面积', minimum: 0 },
      validDate: { type: 'string', title: '发证日期', format: 'date' },
      classes: { type: 'array', title: '准驾车型', items: { type: 'string', enum: ['A1', 'C1'] } },
      chain: { type: 'boolean', title: '连锁' },
    },
    required: ['operatorName', 'businessItems', 'permitNumber'],
    additionalProperties: false,
  },
  validity: { defaultDays: 1826, maxDays: null, longTermAllowed: false },
  layout: {
    title: '食品经营许可证',
    orientation: 'portrait',
    // Print order differs from the schema's key order, and one field is not printed.
    fieldOrder: [
      'permitNumber',
      'operatorName',
      'mainBusinessFormat',
      'businessItems',
      'legalRepresentativeId',
      'area',
      'validDate',
      'classes',
    ],
    qrPosition: 'top-right',
    sealPosition: 'bottom-center',
  },
};

const {
  id: _id,
  version: _version,
  status: _status,
  retiredAt: _r,
  retiredReason: _rr,
  createdAt: _c,
  ...definition
} = foodPermit;

describe('license type draft', () => {
  it('turns an existing type back into the same definition, fields in print order then the unprinted ones', () => {
    const draft = draftOf(foodPermit);
    expect(draft.fields.map((field) => field.name)).toEqual([...foodPermit.layout.fieldOrder, 'chain']);
    expect(draft.fields.map((field) => field.kind)).toEqual([
      'text',
      'text',
      'choice',
      'list',
      'citizen-id',
      'number',
      'date',
      'multi-choice',
      'boolean',
    ]);
    expect(draftProblems(draft, false)).toEqual({});
    const back = definitionOf(draft);
    // `required` is a set; the draft lists it in print order.
    expect({ ...back.fieldSchema, required: [...back.fieldSchema.required].sort() }).toEqual({
      ...definition.fieldSchema,
      required: [...definition.fieldSchema.required].sort(),
    });
    expect(back.validity).toEqual(definition.validity);
    expect(back.layout).toEqual({ ...definition.layout, fieldOrder: [...definition.layout.fieldOrder, 'chain'] });
    expect(back.code).toBe(foodPermit.code);
    expect(licenseContract.types.revise.input.parse(back)).toEqual(back);
  });

  it('drops constraints that belonged to the old kind when a row changes kind', () => {
    const draft = draftOf(foodPermit);
    const permit = draft.fields.findIndex((field) => field.name === 'permitNumber');
    draft.fields[permit] = { ...draft.fields[permit]!, kind: 'integer' };
    expect(definitionOf(draft).fieldSchema.properties.permitNumber).toEqual({ type: 'integer', title: '许可证编号' });
  });

  it('builds a new type that the contract accepts', () => {
    const draft: TypeDraft = {
      ...emptyDraft(),
      code: '11370100MB2851902F099',
      name: '养犬登记证',
      authorityName: '济南市公安局',
      authorityCode: '11370100MB2851902F',
      defaultDays: '365',
      title: '养犬登记证',
      fields: [
        { ...emptyField(), name: 'ownerName', title: '犬主姓名', maxLength: '50' },
        { ...emptyField(), name: 'breed', title: '犬种', kind: 'choice', choices: '中华田园犬\n 柯基 \n\n' },
        { ...emptyField(), name: 'vaccinated', title: '已免疫', kind: 'boolean', required: false },
      ],
    };
    expect(draftProblems(draft, true)).toEqual({});
    const built = definitionOf(draft);
    expect(licenseContract.types.create.input.parse(built)).toEqual(built);
    expect(built.fieldSchema.properties).toEqual({
      ownerName: { type: 'string', title: '犬主姓名', maxLength: 50 },
      breed: { type: 'string', title: '犬种', enum: ['中华田园犬', '柯基'] },
      vaccinated: { type: 'boolean', title: '已免疫' },
    });
    expect(built.fieldSchema.required).toEqual(['ownerName', 'breed']);
    expect(built.validity).toEqual({ defaultDays: 365, maxDays: null, longTermAllowed: true });
  });

  it('reports each problem beside its field before anything is sent', () => {
    const draft: TypeDraft = {
      ...emptyDraft(),
      code: '1137',
      defaultDays: '0',
      fields: [
        { ...emptyField(), name: 'Owner', title: '' },
        { ...emptyField(), name: 'breed', title: '犬种', kind: 'choice' },
        { ...emptyField(), name: 'breed', title: '犬种二', kind: 'text', maxLength: 'x' },
      ],
    };
    expect(draftProblems(draft, true)).toEqual({
      code: 'codeFormat',
      name: 'required',
      authorityName: 'required',
      authorityCode: 'required',
      title: 'required',
      defaultDays: 'positiveInteger',
      'fields.0.name': 'nameFormat',
      'fields.0.title': 'required',
      'fields.1.choices': 'required',
      'fields.2.name': 'duplicateName',
      'fields.2.maxLength': 'positiveInteger',
    });
    // Revising keeps the code: it is not on the form.
    expect(draftProblems({ ...draft, code: '' }, false).code).toBeUndefined();
    expect(draftProblems({ ...draft, fields: [] }, true).fields).toBe('noFields');
  });

  it('moves a row up or down and leaves the ends alone', () => {
    const rows = ['a', 'b', 'c'].map((name) => ({ ...emptyField(), name }));
    expect(moveField(rows, 1, -1).map((row) => row.name)).toEqual(['b', 'a', 'c']);
    expect(moveField(rows, 1, 1).map((row) => row.name)).toEqual(['a', 'c', 'b']);
    expect(moveField(rows, 0, -1)).toBe(rows);
    expect(moveField(rows, 2, 1)).toBe(rows);
  });
});
