import { sealContract } from '@platform/contracts';
import type { z } from 'zod';
import { implement } from '@platform/service-kit';
import type { CaMaterial, CertificateAuthority } from '../../domain/ca/authority.ts';
import { toPem } from '../../domain/ca/pem.ts';

type CaCertificate = z.infer<typeof sealContract.ca.certificates.output>['root'];

const describe = (m: CaMaterial): CaCertificate => ({
  pem: toPem(m.facts.der),
  serial: m.record.serial,
  notBefore: m.record.notBefore.toISOString(),
  notAfter: m.record.notAfter.toISOString(),
});

export function caCertificatesProcedure(ready: () => Promise<CertificateAuthority>, timestampUrl: string) {
  return implement(sealContract.ca.certificates).query(async () => {
    const authority = await ready();
    return {
      root: describe(await authority.root()),
      issuing: describe(await authority.issuing()),
      timestamping: describe(await authority.timestamping()),
      urls: { ...authority.urls, timestamp: timestampUrl },
    };
  });
}
