// Certificate revocation lists (RFC 5280 §5), re-signed by the issuer on every revocation.
import {
  enumerated,
  explicit,
  int,
  parseDer,
  seq,
  time,
  toDer,
  unsignedInt,
  bitString,
  oid,
  octets,
  type Asn1,
} from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import { signatureAlgorithmIdentifier } from '../keys/key-algorithm.ts';
import type { Signer } from '../keys/signer.ts';
import { authorityKeyIdentifier, extensionsToAsn1 } from './extensions.ts';

/** CRLReason codes (RFC 5280 §5.3.1) the service uses. */
export const CRL_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
} as const;
export type CrlReason = keyof typeof CRL_REASONS;

export interface RevokedEntry {
  serialHex: string;
  revokedAt: Date;
  reason: CrlReason;
}

/** The issuer's signing operation and the AlgorithmIdentifier it produces (RSA/ECDSA, or SM2). */
export interface CrlSigner {
  algorithmIdentifier: Asn1;
  sign(data: Uint8Array): Promise<Buffer>;
}

/** A CRL signer from an RSA/ECDSA signer of keys/signer.ts. */
export const crlSignerOf = (signer: Signer): CrlSigner => ({
  algorithmIdentifier: signatureAlgorithmIdentifier(signer.algorithm),
  sign: (data) => signer.sign(data),
});

export interface CrlInput {
  issuerNameDer: Buffer;
  issuerKeyId: Buffer;
  signer: CrlSigner;
  number: number;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: RevokedEntry[];
}

export async function buildCrl(input: CrlInput): Promise<Buffer> {
  const entries: Asn1[] = input.revoked.map((entry) =>
    seq([
      unsignedInt(
        Buffer.from(entry.serialHex.padStart(entry.serialHex.length + (entry.serialHex.length % 2), '0'), 'hex'),
      ),
      time(entry.revokedAt),
      // RFC 5280: reasonCode unspecified SHOULD be absent.
      ...(entry.reason === 'unspecified'
        ? []
        : [seq([seq([oid(OID.crlReason), octets(toDer(enumerated(CRL_REASONS[entry.reason])))])])]),
    ]),
  );
  const tbs = seq([
    int(1),
    input.signer.algorithmIdentifier,
    parseDer(input.issuerNameDer),
    time(input.thisUpdate),
    time(input.nextUpdate),
    ...(entries.length ? [seq(entries)] : []),
    explicit(
      0,
      extensionsToAsn1([
        authorityKeyIdentifier(input.issuerKeyId),
        { oid: OID.crlNumber, critical: false, value: int(input.number) },
      ]),
    ),
  ]);
  const tbsDer = toDer(tbs);
  const signature = await input.signer.sign(tbsDer);
  return toDer(seq([parseDer(tbsDer), input.signer.algorithmIdentifier, bitString(signature)]));
}
