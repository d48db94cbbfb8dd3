// Realistic requests for the seed types.
import { citizenIdCheckChar, creditCodeCheckChar } from '@platform/identifiers';
import { SEED_TYPES } from '../../src/domain/types/seed-types.ts';
import { businessLicenceFields } from '../../src/domain/types/sample-fields.ts';

const typeNamed = (name: string) => {
  const type = SEED_TYPES.find((t) => t.name === name);
  if (!type) throw new Error(`no seed type ${name}`);
  return type;
};

export const BUSINESS_LICENCE = typeNamed('营业执照');
export const ID_CARD = typeNamed('居民身份证');
export const DRIVING_LICENCE = typeNamed('机动车驾驶证');
export const REAL_ESTATE = typeNamed('不动产权证书');

export const creditCode = (first17: string) => first17 + creditCodeCheckChar(first17);
export const citizenId = (first17: string) => first17 + citizenIdCheckChar(first17);

export const FIRM_CODE = creditCode('91370102MA3C8U7P4');
export const PERSON_ID = citizenId('37010219850312231');
export const OTHER_PERSON_ID = citizenId('37010319900101002');

export function businessLicenceRequest(caseId: string, overrides: Record<string, unknown> = {}) {
  return {
    caseId,
    typeCode: BUSINESS_LICENCE.code,
    holder: { codeType: 'credit_code' as const, code: FIRM_CODE, name: '济南泉城软件有限公司' },
    fields: businessLicenceFields('济南泉城软件有限公司'),
    ...overrides,
  };
}

export function drivingLicenceRequest(caseId: string, holderId = PERSON_ID) {
  return {
    caseId,
    typeCode: DRIVING_LICENCE.code,
    holder: { codeType: 'citizen_id' as const, code: holderId, name: '李明' },
    fields: {
      licenseNumber: holderId,
      name: '李明',
      sex: '男',
      nationality: '中国',
      address: '山东省济南市市中区经七路88号',
      birthDate: '1985-03-12',
      firstIssueDate: '2008-07-01',
      vehicleClasses: ['C1'],
      fileNumber: '370100123456',
    },
  };
}
