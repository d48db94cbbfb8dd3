// OCSP responder (RFC 6960) for certificates of the issuing CA, signed by the issuing CA itself
// (no delegated responder). Unknown issuers or serials answer "unknown"; garbage "malformedRequest".
import { createHash } from 'node:crypto';
import forge from 'node-forge';
import {
  bitString,
  child,
  children,
  enumerated,
  explicit,
  generalizedTime,
  isContext,
  octets,
  oid,
  parseDer,
  primitiveBytes,
  readOid,
  seq,
  toDer,
  type Asn1,
} from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import { signatureAlgorithmIdentifier } from '../keys/key-algorithm.ts';
import type { CaMaterial } from './authority.ts';
import { CRL_REASONS, type CrlReason } from './crl.ts';

const HASHES: Record<string, string> = { [OID.sha1]: 'sha1', [OID.sha256]: 'sha256' };
const NEXT_UPDATE_MS = 3600_000;

export type CertificateStatus =
  { status: 'good' } | { status: 'revoked'; revokedAt: Date; reason: CrlReason | null } | { status: 'unknown' };

export const MALFORMED_REQUEST = Buffer.from([0x30, 0x03, 0x0a, 0x01, 0x01]);

interface CertIdRequest {
  node: Asn1;
  hash: string;
  issuerNameHash: Buffer;
  issuerKeyHash: Buffer;
  serialHex: string;
}

function parseRequest(der: Uint8Array): { certIds: CertIdRequest[]; nonce: Asn1 | undefined } {
  const tbs = child(parseDer(der), 0, 'tbsRequest');
  const fields = children(tbs, 'tbsRequest');
  const list = fields.find((f) => !isContext(f, 0) && !isContext(f, 1) && !isContext(f, 2));
  const certIds = children(list, 'requestList').map((request) => {
    const certId = child(request, 0, 'reqCert');
    const hashOid = readOid(child(child(certId, 0, 'hashAlgorithm'), 0, 'algorithm'), 'hash');
    const hash = HASHES[hashOid];
    if (!hash) throw new Error('unsupported hash');
    return {
      node: certId,
      hash,
      issuerNameHash: primitiveBytes(child(certId, 1, 'issuerNameHash'), 'issuerNameHash'),
      issuerKeyHash: primitiveBytes(child(certId, 2, 'issuerKeyHash'), 'issuerKeyHash'),
      serialHex: primitiveBytes(child(certId, 3, 'serialNumber'), 'serial')
        .toString('hex')
        .replace(/^0+(?=.)/, ''),
    };
  });
  let nonce: Asn1 | undefined;
  const extensions = fields.find((f) => isContext(f, 2));
  if (extensions) {
    nonce = children(child(extensions, 0, 'requestExtensions'), 'extensions').find(
      (ext) => readOid(child(ext, 0, 'extnID'), 'extnID') === OID.ocspNonce,
    );
  }
  return { certIds, nonce };
}

function statusNode(status: CertificateStatus): Asn1 {
  const ctx = forge.asn1.Class.CONTEXT_SPECIFIC;
  if (status.status === 'good') return forge.asn1.create(ctx, 0, false, '');
  if (status.status === 'unknown') return forge.asn1.create(ctx, 2, false, '');
  const reason =
    status.reason && status.reason !== 'unspecified' ? [explicit(0, enumerated(CRL_REASONS[status.reason]))] : [];
  return forge.asn1.create(ctx, 1, true, [generalizedTime(status.revokedAt), ...reason]);
}

export async function ocspResponse(options: {
  requestDer: Uint8Array;
  issuer: CaMaterial;
  statusOf: (serialHex: string) => Promise<CertificateStatus>;
  now?: Date;
}): Promise<Buffer> {
  let request: ReturnType<typeof parseRequest>;
  try {
    request = parseRequest(options.requestDer);
  } catch {
    return MALFORMED_REQUEST;
  }
  const now = options.now ?? new Date();
  const { facts } = options.issuer;
  const responses: Asn1[] = [];
  for (const certId of request.certIds) {
    const ours =
      createHash(certId.hash).update(facts.subjectDer).digest().equals(certId.issuerNameHash) &&
      createHash(certId.hash).update(facts.publicKeyBits).digest().equals(certId.issuerKeyHash);
    const status: CertificateStatus = ours ? await options.statusOf(certId.serialHex) : { status: 'unknown' };
    responses.push(
      seq([
        certId.node,
        statusNode(status),
        generalizedTime(now),
        explicit(0, generalizedTime(new Date(now.getTime() + NEXT_UPDATE_MS))),
      ]),
    );
  }
  const responderKeyHash = createHash('sha1').update(facts.publicKeyBits).digest();
  const responseData = seq([
    explicit(2, octets(responderKeyHash)),
    generalizedTime(now),
    seq(responses),
    ...(request.nonce ? [explicit(1, seq([request.nonce]))] : []),
  ]);
  const tbsDer = toDer(responseData);
  const signature = await options.issuer.signer.sign(tbsDer);
  const basic = seq([
    parseDer(tbsDer),
    signatureAlgorithmIdentifier(options.issuer.signer.algorithm),
    bitString(signature),
    explicit(0, seq([parseDer(facts.der)])),
  ]);
  return toDer(seq([enumerated(0), explicit(0, seq([oid(OID.ocspBasic), octets(toDer(basic))]))]));
}
