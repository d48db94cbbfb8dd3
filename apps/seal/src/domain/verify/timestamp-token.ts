// Verifies an RFC 3161 TimeStampToken: its CMS signature over the TSTInfo, that the TSA
// certificate chains to a trust anchor and may timestamp, and that its messageImprint is the hash
// of the bytes it claims to date (a signature value, or a document's byte ranges).
import { createHash } from 'node:crypto';
import { child, children, parseDer, primitiveBytes, readOid, readTime } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import type { CertificateFacts } from '../ca/certificate-facts.ts';
import { DIGESTS } from './algorithms.ts';
import { buildPath, hasExtendedKeyUsage, invalidAt, type CertificatePath } from './certificate-path.ts';
import { CmsFormatError, readSignedData } from './cms-reader.ts';
import { checkSignerInfo, digestOf } from './signer-info-check.ts';

export interface TimestampCheck {
  valid: boolean;
  genTime: Date | undefined;
  imprintMatches: boolean;
  signatureValid: boolean;
  tsa: CertificateFacts | undefined;
  path: CertificatePath | undefined;
  problem: string | undefined;
}

const failed = (problem: string, partial: Partial<TimestampCheck> = {}): TimestampCheck => ({
  valid: false,
  genTime: undefined,
  imprintMatches: false,
  signatureValid: false,
  tsa: undefined,
  path: undefined,
  problem,
  ...partial,
});

export function verifyTimestampToken(
  tokenDer: Uint8Array,
  imprinted: Uint8Array[],
  trust: { anchors: CertificateFacts[]; candidates: CertificateFacts[] },
): TimestampCheck {
  let token;
  try {
    token = readSignedData(tokenDer);
  } catch (error) {
    return failed(error instanceof CmsFormatError ? `timestamp token: ${error.message}` : 'unreadable timestamp token');
  }
  if (token.contentType !== OID.tstInfo || !token.encapsulated || token.signerInfos.length !== 1) {
    return failed('not an RFC 3161 timestamp token');
  }
  const tstInfo = token.encapsulated;
  const check = checkSignerInfo(token.signerInfos[0]!, token.certificates, digestOf([tstInfo]));
  let genTime: Date;
  let imprintMatches: boolean;
  try {
    const fields = children(parseDer(tstInfo), 'TSTInfo');
    const imprint = fields[2];
    const hash = DIGESTS[readOid(child(child(imprint, 0, 'hashAlgorithm'), 0, 'algorithm'), 'hashAlgorithm')];
    const hashed = primitiveBytes(child(imprint, 1, 'hashedMessage'), 'hashedMessage');
    genTime = readTime(fields[4], 'genTime');
    if (!hash) return failed('the timestamp uses an unsupported hash algorithm', { genTime });
    const expected = createHash(hash);
    for (const part of imprinted) expected.update(part);
    imprintMatches = expected.digest().equals(hashed);
  } catch {
    return failed('the timestamp token holds no readable TSTInfo');
  }
  const signatureValid = check.signatureValid && check.messageDigestMatches && check.contentType === OID.tstInfo;
  const base = { genTime, imprintMatches, signatureValid, tsa: check.certificate };
  if (!signatureValid) return failed(`timestamp signature: ${check.problem ?? 'invalid'}`, base);
  if (!imprintMatches) return failed('the timestamp is over other data (message imprint mismatch)', base);
  const tsa = check.certificate!;
  if (!hasExtendedKeyUsage(tsa, OID.timeStamping)) {
    return failed('the timestamp signer is not a timestamping certificate', base);
  }
  const path = buildPath(tsa, [...token.certificates, ...trust.candidates], trust.anchors);
  if (!path.trusted) return failed(`timestamp authority not trusted: ${path.detail}`, { ...base, path });
  if (invalidAt(path.chain, genTime).length > 0) {
    return failed('the timestamp authority certificate was not valid at the time it gave', { ...base, path });
  }
  return { valid: true, ...base, path, problem: undefined };
}
