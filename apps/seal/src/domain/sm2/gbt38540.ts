// Making GB/T 38540 electronic seals and signing data with them (SM2 with SM3 throughout).
import { SM2_OID } from './sm2-key.ts';
import { sm3 } from './sm3.ts';
import {
  SES_HEADER_ID,
  SES_VERSION,
  decodeSeal,
  encodeSeal,
  encodeSealInfo,
  encodeSignature,
  encodeTbsSign,
  type CertList,
  type ExtData,
  type SESeal,
  type SealInfo,
} from './gbt38540-structures.ts';
import type { Sm2Credential } from './sm2-hierarchy.ts';
import { sm2CertificateFacts } from './sm2-certificate.ts';
import { sm2Verify } from './sm2-signature.ts';

/** Codes of the reasons a seal cannot be made or used; mapped to API errors by the router. */
export type Gbt38540ErrorCode =
  | 'SEAL_INVALID_INPUT'
  | 'SEAL_NOT_VALID_AT_TIME'
  | 'SIGNER_NOT_IN_SEAL'
  | 'SIGNER_CERTIFICATE_NOT_VALID'
  | 'SEAL_SIGNATURE_INVALID';

export class Gbt38540Error extends Error {
  constructor(
    readonly code: Gbt38540ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'Gbt38540Error';
  }
}

export const SEAL_TYPE = { organisation: 1, personal: 2 } as const;

export interface MakeSealRequest {
  /** The seal maker (制章人) whose certificate and key sign the seal. */
  maker: Sm2Credential;
  esId: string;
  vendor: string;
  type: number;
  name: string;
  /** Certificates of those who may sign with the seal (certListType 1). */
  signerCertificates: Buffer[];
  validStart: Date;
  validEnd: Date;
  createDate?: Date;
  picture: { type: string; data: Buffer; widthMm: number; heightMm: number };
  extDatas?: ExtData[];
}

const IA5 = /^[\x20-\x7e]*$/;

function requireIa5(value: string, what: string, max: number): void {
  if (!IA5.test(value) || value.length === 0 || value.length > max) {
    throw new Gbt38540Error('SEAL_INVALID_INPUT', `${what} must be 1 to ${max} printable ASCII characters`);
  }
}

/** SESeal DER: the seal information signed by the maker. */
export async function makeSeal(request: MakeSealRequest): Promise<Buffer> {
  requireIa5(request.esId, 'esID', 64);
  requireIa5(request.vendor, 'vendor id', 64);
  requireIa5(request.picture.type, 'picture type', 16);
  if (!(request.validStart < request.validEnd)) {
    throw new Gbt38540Error('SEAL_INVALID_INPUT', 'the seal validity must end after it starts');
  }
  if (request.signerCertificates.length === 0) {
    throw new Gbt38540Error('SEAL_INVALID_INPUT', 'a seal needs at least one signer certificate');
  }
  for (const der of request.signerCertificates) sm2CertificateFacts(der); // SM2 certificates only
  const certList: CertList = { type: 1, certificates: request.signerCertificates };
  const info: SealInfo = {
    header: { id: SES_HEADER_ID, version: SES_VERSION, vendor: request.vendor },
    esId: request.esId,
    property: {
      type: request.type,
      name: request.name,
      certList,
      createDate: request.createDate ?? new Date(),
      validStart: request.validStart,
      validEnd: request.validEnd,
    },
    picture: request.picture,
    ...(request.extDatas ? { extDatas: request.extDatas } : {}),
  };
  const infoDer = encodeSealInfo(info);
  return encodeSeal({
    infoDer,
    makerCertificate: request.maker.certificate.der,
    signatureAlgorithm: SM2_OID.sm3WithSm2,
    signedValue: await request.maker.signer.sign(infoDer),
  });
}

/** True when `certificate` is one the seal lists (by value, or by SM3 digest for certListType 2). */
export function sealListsCertificate(seal: SESeal, certificate: Buffer): boolean {
  const list = seal.info.property.certList;
  if (list.type === 1) return list.certificates.some((c) => c.equals(certificate));
  const digest = sm3(certificate);
  return list.digests.some((d) => d.algorithm.toLowerCase() === 'sm3' && d.value.equals(digest));
}

export interface SignOptions {
  /** The signing time written as timeInfo; now by default. */
  at?: Date;
  /** propertyInfo: what the data is (document id, name, range), printable ASCII. */
  propertyInfo?: string;
  extDatas?: ExtData[];
}

/**
 * SES_Signature DER over `data`. Refuses what a verifier would reject: a seal whose maker
 * signature is broken, a signer the seal does not list, a seal or certificate outside its
 * validity at the signing time.
 */
export async function signWithSeal(
  sealDer: Uint8Array,
  signer: Sm2Credential,
  data: Uint8Array,
  options: SignOptions = {},
): Promise<Buffer> {
  const seal = decodeSeal(sealDer);
  // timeInfo is a GeneralizedTime in whole seconds: check exactly the time that will be written.
  const at = new Date(Math.floor((options.at ?? new Date()).getTime() / 1000) * 1000);
  const propertyInfo = options.propertyInfo ?? 'data';
  requireIa5(propertyInfo, 'propertyInfo', 512);
  const maker = sm2CertificateFacts(seal.makerCertificate);
  if (seal.signatureAlgorithm !== SM2_OID.sm3WithSm2 || !sm2Verify(maker.publicKey, seal.infoDer, seal.signedValue)) {
    throw new Gbt38540Error('SEAL_SIGNATURE_INVALID', "the seal's maker signature does not verify");
  }
  const { validStart, validEnd } = seal.info.property;
  if (at < validStart || at > validEnd) {
    throw new Gbt38540Error(
      'SEAL_NOT_VALID_AT_TIME',
      `the seal is valid from ${validStart.toISOString()} to ${validEnd.toISOString()}`,
    );
  }
  if (!sealListsCertificate(seal, signer.certificate.der)) {
    throw new Gbt38540Error('SIGNER_NOT_IN_SEAL', "the signer's certificate is not in the seal's certificate list");
  }
  if (at < signer.certificate.notBefore || at > signer.certificate.notAfter) {
    throw new Gbt38540Error(
      'SIGNER_CERTIFICATE_NOT_VALID',
      "the signer's certificate is not valid at the signing time",
    );
  }
  const tbsDer = encodeTbsSign({
    sealDer: seal.der,
    timeInfo: at,
    dataHash: sm3(data),
    propertyInfo,
    ...(options.extDatas ? { extDatas: options.extDatas } : {}),
  });
  return encodeSignature({
    tbsDer,
    signerCertificate: signer.certificate.der,
    signatureAlgorithm: SM2_OID.sm3WithSm2,
    signature: await signer.signer.sign(tbsDer),
  });
}
