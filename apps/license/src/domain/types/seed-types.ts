// The six license types every node starts with, with the fields their paper originals carry.
// Department credit codes are illustrative (valid GB 32100 check characters, region 370000 =
// Shandong), not the real departments' codes: replace them from the catalogue (GB/T 36902) when
// connecting to the national system.
import { creditCodeCheckChar } from '@platform/identifiers';
import type { FieldSchema, LicenseTypeDefinition } from '@platform/contracts';

/** A credit code from its first 17 characters, with the GB 32100 check character appended. */
const code18 = (first17: string): string => first17 + creditCodeCheckChar(first17);
const typeCode = (department17: string, sequence: string): string => code18(department17) + sequence;

const schema = (properties: FieldSchema['properties'], required: string[]): FieldSchema => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const text = (title: string, extra: Partial<FieldSchema['properties'][string]> = {}) => ({
  type: 'string' as const,
  title,
  maxLength: 500,
  ...extra,
});
const date = (title: string, extra: Partial<FieldSchema['properties'][string]> = {}) => ({
  type: 'string' as const,
  title,
  format: 'date' as const,
  ...extra,
});

// Defining departments (type codes) and issuing authorities (issuer codes).
const SAMR = '11100000MB0143028'; // national market regulation administration (defines business licences)
const MPS = '11100000000013338'; // public security (defines ID cards and driving licences)
const MNR = '11100000MB1801025'; // natural resources (real-estate certificates)
const MOE = '11100000000013109'; // education (teacher qualifications)

const SD_MARKET = { name: '山东省市场监督管理局', code: code18('11370000MB2850471') };
const JN_MARKET = { name: '济南市市场监督管理局', code: code18('11370100MB2851902') };
const JN_REAL_ESTATE = { name: '济南市自然资源和规划局', code: code18('11370100MB2859643') };
const JN_POLICE = { name: '济南市公安局', code: code18('11370100004213562') };
const SD_TRAFFIC = { name: '山东省公安厅交通警察总队车辆管理所', code: code18('11370000MB2852377') };
const SD_EDUCATION = { name: '山东省教育厅', code: code18('11370000004100195') };

export interface SeedType extends LicenseTypeDefinition {
  code: string;
}

const PERSON_BASICS = {
  name: text('姓名', { maxLength: 100 }),
  sex: { type: 'string' as const, title: '性别', enum: ['男', '女'] },
  birthDate: date('出生日期'),
};

export const SEED_TYPES: SeedType[] = [
  {
    code: typeCode(SAMR, '001'),
    name: '营业执照',
    issuingAuthority: SD_MARKET,
    holderKind: 'organization',
    fieldSchema: schema(
      {
        entityName: text('名称', { maxLength: 200 }),
        entityType: text('类型', { maxLength: 100 }),
        legalRepresentative: text('法定代表人', { maxLength: 100 }),
        registeredCapital: text('注册资本', { maxLength: 100, pattern: '[0-9.]+万元(人民币|美元|欧元)?' }),
        establishedOn: date('成立日期'),
        businessTerm: text('营业期限', { maxLength: 100 }),
        address: text('住所'),
        businessScope: text('经营范围', { maxLength: 2000 }),
        registrationAuthority: text('登记机关', { maxLength: 200 }),
      },
      [
        'entityName',
        'entityType',
        'legalRepresentative',
        'establishedOn',
        'address',
        'businessScope',
        'registrationAuthority',
      ],
    ),
    validity: { defaultDays: null, maxDays: null, longTermAllowed: true },
    layout: {
      title: '营业执照',
      orientation: 'landscape',
      fieldOrder: [
        'entityName',
        'entityType',
        'legalRepresentative',
        'registeredCapital',
        'establishedOn',
        'businessTerm',
        'address',
        'businessScope',
        'registrationAuthority',
      ],
      qrPosition: 'top-right',
    },
  },
  {
    code: typeCode(SAMR, '011'),
    name: '食品经营许可证',
    issuingAuthority: JN_MARKET,
    holderKind: 'organization',
    fieldSchema: schema(
      {
        operatorName: text('经营者名称', { maxLength: 200 }),
        legalRepresentative: text('法定代表人（负责人）', { maxLength: 100 }),
        residence: text('住所'),
        businessPremises: text('经营场所'),
        mainBusinessFormat: {
          type: 'string',
          title: '主体业态',
          enum: ['食品销售经营者', '餐饮服务经营者', '单位食堂'],
        },
        businessItems: {
          type: 'array',
          title: '经营项目',
          items: { type: 'string', maxLength: 100 },
          maxItems: 30,
        },
        permitNumber: text('许可证编号', { pattern: 'JY[1-3][0-9]{13}' }),
        dailySupervisionAgency: text('日常监督管理机构', { maxLength: 200 }),
        complaintHotline: text('投诉举报电话', { pattern: '[0-9-]{5,20}' }),
      },
      [
        'operatorName',
        'legalRepresentative',
        'businessPremises',
        'mainBusinessFormat',
        'businessItems',
        'permitNumber',
      ],
    ),
    validity: { defaultDays: 1826, maxDays: 1826, longTermAllowed: false },
    layout: {
      title: '食品经营许可证',
      orientation: 'landscape',
      fieldOrder: [
        'operatorName',
        'legalRepresentative',
        'residence',
        'businessPremises',
        'mainBusinessFormat',
        'businessItems',
        'permitNumber',
        'dailySupervisionAgency',
        'complaintHotline',
      ],
      qrPosition: 'bottom-right',
    },
  },
  {
    code: typeCode(MNR, '001'),
    name: '不动产权证书',
    issuingAuthority: JN_REAL_ESTATE,
    holderKind: 'any',
    fieldSchema: schema(
      {
        certificateNumber: text('不动产权证号', {
          pattern: '鲁（[0-9]{4}）[\\p{Script=Han}]{1,20}不动产权第[0-9]{7}号',
        }),
        obligee: text('权利人', { maxLength: 200 }),
        coOwnership: { type: 'string', title: '共有情况', enum: ['单独所有', '共同共有', '按份共有'] },
        location: text('坐落', { 'x-sensitive': true }),
        unitNumber: text('不动产单元号', { pattern: '[0-9]{12}[A-Z]{2}[0-9]{5}[A-Z][0-9]{8}', 'x-sensitive': true }),
        rightType: text('权利类型', { maxLength: 100 }),
        rightNature: text('权利性质', { maxLength: 100 }),
        usage: text('用途', { maxLength: 100 }),
        area: { type: 'number', title: '面积（平方米）', minimum: 0, 'x-sensitive': true },
        termOfUse: text('使用期限', { maxLength: 100 }),
      },
      ['certificateNumber', 'obligee', 'coOwnership', 'location', 'unitNumber', 'rightType', 'usage', 'area'],
    ),
    validity: { defaultDays: null, maxDays: null, longTermAllowed: true },
    layout: {
      title: '中华人民共和国不动产权证书',
      orientation: 'portrait',
      fieldOrder: [
        'certificateNumber',
        'obligee',
        'coOwnership',
        'location',
        'unitNumber',
        'rightType',
        'rightNature',
        'usage',
        'area',
        'termOfUse',
      ],
      qrPosition: 'bottom-right',
    },
  },
  {
    code: typeCode(MPS, '001'),
    name: '居民身份证',
    issuingAuthority: JN_POLICE,
    holderKind: 'person',
    fieldSchema: schema(
      {
        ...PERSON_BASICS,
        ethnicity: text('民族', { maxLength: 20 }),
        address: text('住址', { 'x-sensitive': true }),
        idNumber: { type: 'string', title: '公民身份号码', format: 'citizen-id', 'x-sensitive': true },
        issuingOffice: text('签发机关', { maxLength: 200 }),
      },
      ['name', 'sex', 'ethnicity', 'birthDate', 'address', 'idNumber', 'issuingOffice'],
    ),
    // 5, 10 or 20 years by age, or long-term from 46: the clerk gives validUntil; 10 years by default.
    validity: { defaultDays: 3653, maxDays: 7305, longTermAllowed: true },
    layout: {
      title: '中华人民共和国居民身份证',
      orientation: 'landscape',
      fieldOrder: ['name', 'sex', 'ethnicity', 'birthDate', 'address', 'idNumber', 'issuingOffice'],
      qrPosition: 'bottom-right',
    },
  },
  {
    code: typeCode(MPS, '002'),
    name: '机动车驾驶证',
    issuingAuthority: SD_TRAFFIC,
    holderKind: 'person',
    fieldSchema: schema(
      {
        licenseNumber: { type: 'string', title: '证号', format: 'citizen-id', 'x-sensitive': true },
        ...PERSON_BASICS,
        nationality: text('国籍', { maxLength: 50 }),
        address: text('住址', { 'x-sensitive': true }),
        firstIssueDate: date('初次领证日期'),
        vehicleClasses: {
          type: 'array',
          title: '准驾车型',
          items: {
            type: 'string',
            enum: ['A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'D', 'E', 'F', 'M', 'N', 'P'],
          },
          maxItems: 17,
        },
        fileNumber: text('档案编号', { pattern: '[0-9]{12}', 'x-sensitive': true }),
      },
      ['licenseNumber', 'name', 'sex', 'nationality', 'birthDate', 'firstIssueDate', 'vehicleClasses', 'fileNumber'],
    ),
    validity: { defaultDays: 2192, maxDays: 3653, longTermAllowed: true },
    layout: {
      title: '中华人民共和国机动车驾驶证',
      orientation: 'landscape',
      fieldOrder: [
        'licenseNumber',
        'name',
        'sex',
        'nationality',
        'address',
        'birthDate',
        'firstIssueDate',
        'vehicleClasses',
        'fileNumber',
      ],
      qrPosition: 'bottom-right',
    },
  },
  {
    code: typeCode(MOE, '001'),
    name: '教师资格证',
    issuingAuthority: SD_EDUCATION,
    holderKind: 'person',
    fieldSchema: schema(
      {
        ...PERSON_BASICS,
        idNumber: { type: 'string', title: '身份证件号码', format: 'citizen-id', 'x-sensitive': true },
        qualificationType: {
          type: 'string',
          title: '资格种类',
          enum: [
            '幼儿园教师资格',
            '小学教师资格',
            '初级中学教师资格',
            '高级中学教师资格',
            '中等职业学校教师资格',
            '中等职业学校实习指导教师资格',
            '高等学校教师资格',
          ],
        },
        teachingSubject: text('任教学科', { maxLength: 50 }),
        certificateNumber: text('资格证书号码', { pattern: '[0-9]{17}' }),
        grantedOn: date('颁发日期'),
      },
      [
        'name',
        'sex',
        'birthDate',
        'idNumber',
        'qualificationType',
        'teachingSubject',
        'certificateNumber',
        'grantedOn',
      ],
    ),
    validity: { defaultDays: null, maxDays: null, longTermAllowed: true },
    layout: {
      title: '教师资格证书',
      orientation: 'portrait',
      fieldOrder: [
        'name',
        'sex',
        'birthDate',
        'idNumber',
        'qualificationType',
        'teachingSubject',
        'certificateNumber',
        'grantedOn',
      ],
      qrPosition: 'bottom-right',
    },
  },
];
