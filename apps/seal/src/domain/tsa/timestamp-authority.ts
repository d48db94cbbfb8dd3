// RFC 3161 timestamp authority: parses TimeStampReq, answers TimeStampResp with a token signed by
// the TSA certificate (signing-certificate-v2 per RFC 5816). Used in-process for PAdES B-T and
// over HTTP at /tsa.
import { randomBytes } from 'node:crypto';
import {
  child,
  children,
  generalizedTime,
  int,
  octets,
  oid,
  parseDer,
  primitiveBytes,
  readOid,
  seq,
  toDer,
  unsignedInt,
  UNIVERSAL,
  type Asn1,
} from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import { sha256 } from '../ca/certificate-facts.ts';
import type { CaMaterial } from '../ca/authority.ts';
import { signCms } from '../cms/signed-data.ts';

export class TimestampRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimestampRequestError';
  }
}

export interface TimestampRequest {
  hashAlgorithm: string;
  hashedMessage: Buffer;
  nonce?: Buffer;
  certReq: boolean;
}

const HASH_LENGTHS: Record<string, number> = { [OID.sha256]: 32 };

export function parseTimestampRequest(der: Uint8Array): TimestampRequest {
  let root: Asn1;
  try {
    root = parseDer(der);
  } catch {
    throw new TimestampRequestError('not a DER TimeStampReq');
  }
  try {
    const fields = children(root, 'TimeStampReq');
    const imprint = child(root, 1, 'messageImprint');
    const hashAlgorithm = readOid(child(child(imprint, 0, 'hashAlgorithm'), 0, 'algorithm'), 'algorithm');
    const hashedMessage = primitiveBytes(child(imprint, 1, 'hashedMessage'), 'hashedMessage');
    if (HASH_LENGTHS[hashAlgorithm] !== hashedMessage.length)
      throw new TimestampRequestError('unsupported hash algorithm');
    // fields[0] is the version INTEGER; the nonce is the optional INTEGER after messageImprint.
    const nonceNode = fields.slice(2).find((f) => f.tagClass === 0 && f.type === UNIVERSAL.INTEGER);
    const certReqNode = fields.find((f) => f.tagClass === 0 && f.type === UNIVERSAL.BOOLEAN);
    return {
      hashAlgorithm,
      hashedMessage,
      ...(nonceNode ? { nonce: primitiveBytes(nonceNode, 'nonce') } : {}),
      certReq: certReqNode ? primitiveBytes(certReqNode, 'certReq')[0] !== 0 : false,
    };
  } catch (error) {
    if (error instanceof TimestampRequestError) throw error;
    throw new TimestampRequestError('malformed TimeStampReq');
  }
}

export class TimestampAuthority {
  constructor(
    private readonly tsa: () => Promise<CaMaterial>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A TimeStampToken (ContentInfo) over a SHA-256 imprint. */
  async token(request: TimestampRequest): Promise<{ der: Buffer; genTime: Date }> {
    const tsa = await this.tsa();
    const genTime = new Date(Math.floor(this.now().getTime() / 1000) * 1000);
    const tstInfo = toDer(
      seq([
        int(1),
        oid(OID.tsaPolicy),
        seq([seq([oid(request.hashAlgorithm)]), octets(request.hashedMessage)]),
        unsignedInt(randomBytes(16)),
        generalizedTime(genTime),
        // accuracy: 1 second
        seq([int(1)]),
        ...(request.nonce ? [unsignedNonce(request.nonce)] : []),
      ]),
    );
    const { der } = await signCms({
      contentDigest: sha256(tstInfo),
      contentType: OID.tstInfo,
      encapsulated: tstInfo,
      signer: tsa.signer,
      certificate: tsa.facts,
      chain: [],
    });
    return { der, genTime };
  }

  /** The full TimeStampResp for the HTTP endpoint (status granted, or rejection with a reason). */
  async respond(requestDer: Uint8Array): Promise<Buffer> {
    let request: TimestampRequest;
    try {
      request = parseTimestampRequest(requestDer);
    } catch {
      // PKIStatus rejection (2), failInfo badDataFormat (bit 5).
      return toDer(seq([seq([int(2), failInfo(5)])]));
    }
    const { der } = await this.token(request);
    return Buffer.concat([
      Buffer.from([0x30]),
      derLength(toDer(seq([int(0)])).length + der.length),
      toDer(seq([int(0)])),
      der,
    ]);
  }
}

function unsignedNonce(bytes: Buffer): Asn1 {
  // The nonce is echoed exactly as the client encoded it.
  return parseDer(Buffer.concat([Buffer.from([0x02]), derLength(bytes.length), bytes]));
}

function failInfo(bit: number): Asn1 {
  return parseDer(Buffer.from([0x03, 0x02, 7 - (bit % 8), 0x80 >> (bit % 8)]));
}

export function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
