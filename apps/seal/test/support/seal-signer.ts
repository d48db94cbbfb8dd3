// Seal certificates and PAdES signers for domain tests: a certificate from the fixture's CA, its
// signer, the chain, and a timestamp from the service's TSA (optionally with a shifted clock).
import { OID } from '../../src/domain/asn1/oids.ts';
import type { CertificateAuthority } from '../../src/domain/ca/authority.ts';
import { certificateFacts } from '../../src/domain/ca/certificate-facts.ts';
import type { StoredCertificate } from '../../src/domain/ca/store.ts';
import { drawSeal } from '../../src/domain/images/seal-image.ts';
import type { KeyAlgorithm } from '../../src/domain/keys/key-algorithm.ts';
import type { PadesSigner } from '../../src/domain/pdf/pades-sign.ts';
import type { SignatureFieldInput } from '../../src/domain/pdf/signature-field.ts';
import { TimestampAuthority } from '../../src/domain/tsa/timestamp-authority.ts';

export const sealImage = drawSeal({
  shape: 'round',
  widthMm: 40,
  heightMm: 40,
  organisation: '福州市数据管理局',
  caption: '',
}).raster;

export async function issueSealCertificate(
  authority: CertificateAuthority,
  algorithm: KeyAlgorithm = 'rsa-2048',
  commonName = `福州市数据管理局 ${algorithm}`,
): Promise<StoredCertificate> {
  const now = Date.now();
  return authority.issueSealCertificate({
    subject: { commonName, organization: '福州市数据管理局', country: 'CN' },
    algorithm,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 365 * 86400_000),
  });
}

export async function padesSigner(
  authority: CertificateAuthority,
  record: StoredCertificate,
  options: { timestamp?: boolean; clock?: () => Date } = {},
): Promise<PadesSigner> {
  const tsa = new TimestampAuthority(() => authority.timestamping(), options.clock);
  return {
    signer: authority.signerOf(record),
    certificate: certificateFacts(record.der),
    chain: (await authority.chain()).map((m) => m.facts),
    ...(options.timestamp === false
      ? {}
      : {
          timestamp: async (imprint: Buffer) =>
            (await tsa.token({ hashAlgorithm: OID.sha256, hashedMessage: imprint, certReq: true })).der,
        }),
  };
}

export const sealField = (x = 380, page = 1): SignatureFieldInput => ({
  placement: { page, x, y: 80, widthMm: 40, heightMm: 40 },
  image: sealImage,
  signingTime: new Date(),
  name: '福州市数据管理局',
  reason: '电子证照签发',
});
