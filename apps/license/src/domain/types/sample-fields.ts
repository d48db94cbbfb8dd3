// Realistic field values of a business licence (营业执照) for tests, benchmarks and demonstrations:
// one place, so a change to the seeded type's schema is made once.
import type { FieldValue } from '@platform/contracts';

export function businessLicenceFields(
  entityName: string,
  overrides: Record<string, FieldValue> = {},
): Record<string, FieldValue> {
  return {
    entityName,
    entityType: '有限责任公司（自然人投资或控股）',
    legalRepresentative: '王建国',
    registeredCapital: '500万元人民币',
    establishedOn: '2019-06-18',
    businessTerm: '2019年06月18日至长期',
    address: '山东省济南市历下区泺源大街102号',
    businessScope: '软件开发；信息技术咨询服务；数据处理服务',
    registrationAuthority: '济南市历下区市场监督管理局',
    ...overrides,
  };
}
