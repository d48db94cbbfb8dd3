// Verification of a GB/T 38540 signature (SES_Signature v4) over data, following the standard's
// order: the signature over TBS_Sign, the signer being one of the seal's certificates, the
// maker's signature over the seal, the seal's validity at the signing time (not now), the
// certificates' chains and validity, and finally the data hash.
import { SM2_OID } from './sm2-key.ts';
import { sm3 } from './sm3.ts';
import {
  decodeSignature,
  SES_HEADER_ID,
  SES_VERSION,
  SesFormatError,
  type SesSignature,
} from './gbt38540-structures.ts';
import { sealListsCertificate } from './gbt38540.ts';
import { sm2CertificateFacts, verifySm2CertificateSignature, type Sm2CertificateFacts } from './sm2-certificate.ts';
import { sm2Verify } from './sm2-signature.ts';

export type Verdict = 'passed' | 'failed' | 'indeterminate';

export const CHECKS = [
  'format',
  'signatureValue',
  'signerInSeal',
  'sealSignature',
  'sealValidAtSigningTime',
  'sealMakerCertificate',
  'signerCertificate',
  'signerRevocation',
  'dataHash',
] as const;
export type CheckName = (typeof CHECKS)[number];

export interface Check {
  name: CheckName;
  /** true passed, false failed, null could not be decided (e.g. no trusted root known). */
  ok: boolean | null;
  detail: string;
}

export interface Gbt38540Report {
  verdict: Verdict;
  /** The details of every check that did not pass, in order. */
  reasons: string[];
  checks: Check[];
  /** What the signature claims (absent when it could not be decoded). */
  signature?: {
    signedAt: Date;
    propertyInfo: string;
    seal: { esId: string; name: string; type: number; validStart: Date; validEnd: Date; vendor: string };
    signerSubject: string;
    makerSubject: string;
  };
}

export interface VerifyOptions {
  /** DER certificates of the SM2 roots trusted to issue seal makers' and signers' certificates. */
  trustedRoots?: Buffer[];
  /**
   * The signer certificate's revocation as its issuer records it: null when not revoked; left out
   * when the verifier does not know (then no revocation check is reported).
   */
  signerRevocation?: { revokedAt: Date; reason: string } | null;
}

export class Gbt38540FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Gbt38540FormatError';
  }
}

/** Reads the signature's structure; a SesFormatError-derived Gbt38540FormatError when it is none. */
export function readSignature(der: Uint8Array): SesSignature {
  try {
    return decodeSignature(der);
  } catch (error) {
    if (error instanceof SesFormatError) throw new Gbt38540FormatError(`not a GB/T 38540 signature: ${error.message}`);
    throw error;
  }
}

export function verifySignature(der: Uint8Array, data: Uint8Array, options: VerifyOptions = {}): Gbt38540Report {
  let signature: SesSignature;
  try {
    signature = readSignature(der);
  } catch (error) {
    if (!(error instanceof Gbt38540FormatError)) throw error;
    return report([{ name: 'format', ok: false, detail: error.message }]);
  }
  const checks: Check[] = [];
  const check = (name: CheckName, ok: boolean | null, detail: string) => checks.push({ name, ok, detail });
  const { tbs } = signature;
  const seal = tbs.seal;

  const formatProblems = [
    tbs.version !== SES_VERSION && `TBS_Sign version ${tbs.version} (expected ${SES_VERSION})`,
    seal.info.header.id !== SES_HEADER_ID && `seal header id "${seal.info.header.id}" (expected "ES")`,
    seal.info.header.version !== SES_VERSION && `seal version ${seal.info.header.version} (expected ${SES_VERSION})`,
    signature.signatureAlgorithm !== SM2_OID.sm3WithSm2 && `signature algorithm ${signature.signatureAlgorithm}`,
    seal.signatureAlgorithm !== SM2_OID.sm3WithSm2 && `seal signature algorithm ${seal.signatureAlgorithm}`,
    tbs.dataHash.length !== 32 && 'dataHash is not an SM3 digest',
  ].filter((p): p is string => typeof p === 'string');
  let signer: Sm2CertificateFacts | undefined;
  let maker: Sm2CertificateFacts | undefined;
  try {
    signer = sm2CertificateFacts(signature.signerCertificate);
    maker = sm2CertificateFacts(seal.makerCertificate);
  } catch (error) {
    formatProblems.push(`certificate is not an SM2 X.509 certificate (${(error as Error).message})`);
  }
  if (formatProblems.length || !signer || !maker) {
    return report([{ name: 'format', ok: false, detail: formatProblems.join('; ') }], signature);
  }
  check('format', true, 'GB/T 38540 v4 structures with SM3withSM2');

  const signedAt = tbs.timeInfo;
  check(
    'signatureValue',
    sm2Verify(signer.publicKey, signature.tbsDer, signature.signature),
    'signature over TBS_Sign by the signer certificate',
  );
  check(
    'signerInSeal',
    sealListsCertificate(seal, signature.signerCertificate),
    "signer certificate in the seal's list",
  );
  check('sealSignature', sm2Verify(maker.publicKey, seal.infoDer, seal.signedValue), "maker's signature over the seal");
  const { validStart, validEnd } = seal.info.property;
  check(
    'sealValidAtSigningTime',
    signedAt >= validStart && signedAt <= validEnd,
    `seal valid ${validStart.toISOString()} – ${validEnd.toISOString()}, signed ${signedAt.toISOString()}`,
  );
  const makerChain = chainCheck(maker, seal.info.property.createDate, options.trustedRoots);
  check('sealMakerCertificate', makerChain.ok, `maker certificate: ${makerChain.detail}`);
  const signerChain = chainCheck(signer, signedAt, options.trustedRoots);
  check('signerCertificate', signerChain.ok, `signer certificate: ${signerChain.detail}`);
  const revocation = options.signerRevocation;
  if (revocation === null) check('signerRevocation', true, 'signer certificate not revoked');
  else if (revocation) {
    // timeInfo is the signer's own claim (no timestamp token), so this is as strong as that claim.
    const before = revocation.revokedAt <= signedAt;
    check(
      'signerRevocation',
      !before,
      `signer certificate revoked (${revocation.reason}) at ${revocation.revokedAt.toISOString()}, ${before ? 'before' : 'after'} the signing time the signature states`,
    );
  }
  check('dataHash', sm3(data).equals(tbs.dataHash), 'SM3 of the data equals dataHash');
  return report(checks, signature, signer, maker);
}

/** Issued by one of the trusted roots (signature and names), and valid at `at`. */
function chainCheck(
  certificate: Sm2CertificateFacts,
  at: Date,
  trustedRoots: Buffer[] = [],
): { ok: boolean | null; detail: string } {
  if (at < certificate.notBefore || at > certificate.notAfter) {
    return { ok: false, detail: `not valid at ${at.toISOString()}` };
  }
  for (const rootDer of trustedRoots) {
    const root = sm2CertificateFacts(rootDer);
    if (!root.subjectDer.equals(certificate.issuerDer)) continue;
    if (!verifySm2CertificateSignature(certificate.der, root.publicKey)) {
      return { ok: false, detail: 'signature of the issuing root does not verify' };
    }
    if (at < root.notBefore || at > root.notAfter) return { ok: false, detail: 'root not valid at that time' };
    return { ok: true, detail: `issued by trusted root "${root.x509.subject.replace(/\n/g, ', ')}"` };
  }
  return { ok: null, detail: 'issuer is not a trusted SM2 root' };
}

function report(
  checks: Check[],
  signature?: SesSignature,
  signer?: Sm2CertificateFacts,
  maker?: Sm2CertificateFacts,
): Gbt38540Report {
  const failed = checks.filter((c) => c.ok === false);
  const undecided = checks.filter((c) => c.ok === null);
  const verdict: Verdict = failed.length ? 'failed' : undecided.length ? 'indeterminate' : 'passed';
  const result: Gbt38540Report = {
    verdict,
    reasons: [...failed, ...undecided].map((c) => `${c.name}: ${c.detail}`),
    checks,
  };
  if (signature) {
    const { info } = signature.tbs.seal;
    result.signature = {
      signedAt: signature.tbs.timeInfo,
      propertyInfo: signature.tbs.propertyInfo,
      seal: {
        esId: info.esId,
        name: info.property.name,
        type: info.property.type,
        validStart: info.property.validStart,
        validEnd: info.property.validEnd,
        vendor: info.header.vendor,
      },
      signerSubject: signer?.x509.subject.replace(/\n/g, ', ') ?? '',
      makerSubject: maker?.x509.subject.replace(/\n/g, ', ') ?? '',
    };
  }
  return result;
}
