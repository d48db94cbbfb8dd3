// GB/T 38540-2020 (version 4) data structures, DER-encoded with node-forge's ASN.1 module:
//
//   SESeal        ::= SEQUENCE { eSealInfo SES_SealInfo, cert OCTET STRING (maker),
//                                signAlgID OBJECT IDENTIFIER, signedValue BIT STRING }
//   SES_SealInfo  ::= SEQUENCE { header SES_Header, esID IA5String, property SES_ESPropertyInfo,
//                                picture SES_ESPictrueInfo, extDatas ExtensionDatas OPTIONAL }
//   SES_Header    ::= SEQUENCE { id IA5String ("ES"), version INTEGER (4), vid IA5String }
//   SES_ESPropertyInfo ::= SEQUENCE { type INTEGER, name UTF8String, certListType INTEGER,
//                                certList SES_CertList, createDate, validStart, validEnd GeneralizedTime }
//   SES_CertList  ::= CHOICE { certs SEQUENCE OF OCTET STRING,                       -- type 1
//                              certDigestList SEQUENCE OF SEQUENCE { type PrintableString,
//                                                                    value OCTET STRING } } -- type 2
//   SES_ESPictrueInfo ::= SEQUENCE { type IA5String, data OCTET STRING, width INTEGER, height INTEGER }
//   ExtData       ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
//   SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING (signer), signatureAlgID OBJECT IDENTIFIER,
//                                signature BIT STRING, timeStamp [0] BIT STRING OPTIONAL }
//   TBS_Sign      ::= SEQUENCE { version INTEGER (4), eseal SESeal, timeInfo GeneralizedTime,
//                                dataHash BIT STRING, propertyInfo IA5String, extDatas ExtensionDatas OPTIONAL }
//
// The maker signs the DER of SES_SealInfo; the signer signs the DER of TBS_Sign (as ofdrw and
// other GB/T 38540 verifiers do). Decoding keeps those DER encodings for verification.
import forge from 'node-forge';
import {
  bitString,
  bool,
  children,
  explicit,
  fromBin,
  generalizedTime,
  ia5,
  int,
  isContext,
  octets,
  oid,
  parseDer,
  primitiveBytes,
  printable,
  readOid,
  readTime,
  seq,
  toDer,
  UNIVERSAL,
  utf8,
  type Asn1,
} from '../asn1/der.ts';

export const SES_VERSION = 4;
export const SES_HEADER_ID = 'ES';

export interface ExtData {
  id: string;
  critical: boolean;
  value: Buffer;
}

export type CertList =
  { type: 1; certificates: Buffer[] } | { type: 2; digests: Array<{ algorithm: string; value: Buffer }> };

export interface SealInfo {
  header: { id: string; version: number; vendor: string };
  /** The seal's identifier (esID). */
  esId: string;
  property: {
    /** 1 organisation seal, 2 personal seal (GB/T 38540 leaves further values to the issuer). */
    type: number;
    name: string;
    certList: CertList;
    createDate: Date;
    validStart: Date;
    validEnd: Date;
  };
  picture: { type: string; data: Buffer; widthMm: number; heightMm: number };
  extDatas?: ExtData[];
}

export interface SESeal {
  info: SealInfo;
  /** DER of SES_SealInfo as it appears in the seal: what the maker signed. */
  infoDer: Buffer;
  makerCertificate: Buffer;
  signatureAlgorithm: string;
  signedValue: Buffer;
  der: Buffer;
}

export interface TbsSign {
  version: number;
  seal: SESeal;
  timeInfo: Date;
  dataHash: Buffer;
  propertyInfo: string;
  extDatas?: ExtData[];
}

export interface SesSignature {
  tbs: TbsSign;
  /** DER of TBS_Sign as it appears in the signature: what the signer signed. */
  tbsDer: Buffer;
  signerCertificate: Buffer;
  signatureAlgorithm: string;
  signature: Buffer;
  timeStamp?: Buffer;
  der: Buffer;
}

export class SesFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SesFormatError';
  }
}

// --- encoding -------------------------------------------------------------------------------

const extDatasAsn1 = (items: ExtData[]): Asn1 =>
  seq(items.map((e) => seq([oid(e.id), ...(e.critical ? [bool(true)] : []), octets(e.value)])));

function certListAsn1(list: CertList): Asn1 {
  return list.type === 1
    ? seq(list.certificates.map((c) => octets(c)))
    : seq(list.digests.map((d) => seq([printable(d.algorithm), octets(d.value)])));
}

export function encodeSealInfo(info: SealInfo): Buffer {
  const { header, property, picture } = info;
  return toDer(
    seq([
      seq([ia5(header.id), int(header.version), ia5(header.vendor)]),
      ia5(info.esId),
      seq([
        int(property.type),
        utf8(property.name),
        int(property.certList.type),
        certListAsn1(property.certList),
        generalizedTime(property.createDate),
        generalizedTime(property.validStart),
        generalizedTime(property.validEnd),
      ]),
      seq([ia5(picture.type), octets(picture.data), int(picture.widthMm), int(picture.heightMm)]),
      ...(info.extDatas?.length ? [extDatasAsn1(info.extDatas)] : []),
    ]),
  );
}

export function encodeSeal(parts: {
  infoDer: Buffer;
  makerCertificate: Buffer;
  signatureAlgorithm: string;
  signedValue: Buffer;
}): Buffer {
  return toDer(
    seq([
      parseDer(parts.infoDer),
      octets(parts.makerCertificate),
      oid(parts.signatureAlgorithm),
      bitString(parts.signedValue),
    ]),
  );
}

export function encodeTbsSign(tbs: {
  sealDer: Buffer;
  timeInfo: Date;
  dataHash: Buffer;
  propertyInfo: string;
  extDatas?: ExtData[];
}): Buffer {
  return toDer(
    seq([
      int(SES_VERSION),
      parseDer(tbs.sealDer),
      generalizedTime(tbs.timeInfo),
      bitString(tbs.dataHash),
      ia5(tbs.propertyInfo),
      ...(tbs.extDatas?.length ? [extDatasAsn1(tbs.extDatas)] : []),
    ]),
  );
}

export function encodeSignature(parts: {
  tbsDer: Buffer;
  signerCertificate: Buffer;
  signatureAlgorithm: string;
  signature: Buffer;
  timeStamp?: Buffer;
}): Buffer {
  return toDer(
    seq([
      parseDer(parts.tbsDer),
      octets(parts.signerCertificate),
      oid(parts.signatureAlgorithm),
      bitString(parts.signature),
      ...(parts.timeStamp ? [explicit(0, bitString(parts.timeStamp))] : []),
    ]),
  );
}

// --- decoding -------------------------------------------------------------------------------

function expectType(node: Asn1 | undefined, type: number, what: string): Asn1 {
  if (!node || node.tagClass !== forge.asn1.Class.UNIVERSAL || node.type !== type) {
    throw new SesFormatError(`${what}: unexpected ASN.1 element`);
  }
  return node;
}

function sequence(node: Asn1 | undefined, what: string, min: number, max: number): Asn1[] {
  const items = children(expectType(node, UNIVERSAL.SEQUENCE, what), what);
  if (items.length < min || items.length > max) throw new SesFormatError(`${what}: ${items.length} elements`);
  return items;
}

const text = (node: Asn1 | undefined, type: number, what: string): string =>
  primitiveBytes(expectType(node, type, what), what).toString(type === UNIVERSAL.UTF8 ? 'utf8' : 'latin1');

function integer(node: Asn1 | undefined, what: string): number {
  const bytes = primitiveBytes(expectType(node, UNIVERSAL.INTEGER, what), what);
  if (bytes.length === 0 || bytes.length > 4) throw new SesFormatError(`${what}: integer out of range`);
  return forge.asn1.derToInteger(forge.util.createBuffer(bytes.toString('binary')));
}

const octetString = (node: Asn1 | undefined, what: string): Buffer =>
  primitiveBytes(expectType(node, UNIVERSAL.OCTETSTRING, what), what);

function bits(node: Asn1 | undefined, what: string): Buffer {
  const bytes = primitiveBytes(expectType(node, UNIVERSAL.BITSTRING, what), what);
  if (bytes[0] !== 0) throw new SesFormatError(`${what}: BIT STRING with unused bits`);
  return bytes.subarray(1);
}

function generalized(node: Asn1 | undefined, what: string): Date {
  expectType(node, UNIVERSAL.GENERALIZEDTIME, what);
  const date = readTime(node, what);
  if (Number.isNaN(date.getTime())) throw new SesFormatError(`${what}: invalid time`);
  return date;
}

function decodeExtDatas(node: Asn1 | undefined): ExtData[] {
  return sequence(node, 'extDatas', 0, 1000).map((item) => {
    const fields = sequence(item, 'ExtData', 2, 3);
    const critical = fields.length === 3;
    if (critical) expectType(fields[1], UNIVERSAL.BOOLEAN, 'ExtData.critical');
    return {
      id: readOid(fields[0], 'ExtData.extnID'),
      critical: critical && fromBin(fields[1]!.value as string)[0] !== 0,
      value: octetString(fields.at(-1), 'ExtData.extnValue'),
    };
  });
}

function decodeCertList(type: number, node: Asn1 | undefined): CertList {
  const items = sequence(node, 'certList', 1, 100);
  if (type === 1) return { type, certificates: items.map((c) => octetString(c, 'certList certificate')) };
  if (type === 2) {
    return {
      type,
      digests: items.map((d) => {
        const [algorithm, value] = sequence(d, 'CertDigestObj', 2, 2);
        return {
          algorithm: text(algorithm, UNIVERSAL.PRINTABLESTRING, 'CertDigestObj.type'),
          value: octetString(value, 'CertDigestObj.value'),
        };
      }),
    };
  }
  throw new SesFormatError(`unknown certListType ${type}`);
}

function decodeSealInfo(node: Asn1): SealInfo {
  const fields = sequence(node, 'SES_SealInfo', 4, 5);
  const [id, version, vendor] = sequence(fields[0], 'SES_Header', 3, 3);
  const property = sequence(fields[2], 'SES_ESPropertyInfo', 7, 7);
  const picture = sequence(fields[3], 'SES_ESPictrueInfo', 4, 4);
  const certListType = integer(property[2], 'certListType');
  return {
    header: {
      id: text(id, UNIVERSAL.IA5STRING, 'header.id'),
      version: integer(version, 'header.version'),
      vendor: text(vendor, UNIVERSAL.IA5STRING, 'header.vid'),
    },
    esId: text(fields[1], UNIVERSAL.IA5STRING, 'esID'),
    property: {
      type: integer(property[0], 'property.type'),
      name: text(property[1], UNIVERSAL.UTF8, 'property.name'),
      certList: decodeCertList(certListType, property[3]),
      createDate: generalized(property[4], 'createDate'),
      validStart: generalized(property[5], 'validStart'),
      validEnd: generalized(property[6], 'validEnd'),
    },
    picture: {
      type: text(picture[0], UNIVERSAL.IA5STRING, 'picture.type'),
      data: octetString(picture[1], 'picture.data'),
      widthMm: integer(picture[2], 'picture.width'),
      heightMm: integer(picture[3], 'picture.height'),
    },
    ...(fields[4] ? { extDatas: decodeExtDatas(fields[4]) } : {}),
  };
}

function decodeSealNode(node: Asn1): SESeal {
  const fields = sequence(node, 'SESeal', 4, 4);
  return {
    info: decodeSealInfo(fields[0]!),
    infoDer: toDer(fields[0]!),
    makerCertificate: octetString(fields[1], 'SESeal.cert'),
    signatureAlgorithm: readOid(fields[2], 'SESeal.signAlgID'),
    signedValue: bits(fields[3], 'SESeal.signedValue'),
    der: toDer(node),
  };
}

/** Parses strictly; anything else than one DER value of the expected shape is a SesFormatError. */
function parse(der: Uint8Array, what: string): Asn1 {
  try {
    return parseDer(der);
  } catch {
    throw new SesFormatError(`${what} is not DER`);
  }
}

function shaped<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof SesFormatError) throw error;
    throw new SesFormatError((error as Error).message);
  }
}

export const decodeSeal = (der: Uint8Array): SESeal => shaped(() => decodeSealNode(parse(der, 'SESeal')));

export function decodeSignature(der: Uint8Array): SesSignature {
  return shaped(() => {
    const root = parse(der, 'SES_Signature');
    const fields = sequence(root, 'SES_Signature', 4, 5);
    const tbs = sequence(fields[0], 'TBS_Sign', 5, 6);
    const timeStamp = fields[4];
    if (timeStamp && !isContext(timeStamp, 0)) throw new SesFormatError('SES_Signature: unexpected element');
    return {
      tbs: {
        version: integer(tbs[0], 'TBS_Sign.version'),
        seal: decodeSealNode(tbs[1]!),
        timeInfo: generalized(tbs[2], 'timeInfo'),
        dataHash: bits(tbs[3], 'dataHash'),
        propertyInfo: text(tbs[4], UNIVERSAL.IA5STRING, 'propertyInfo'),
        ...(tbs[5] ? { extDatas: decodeExtDatas(tbs[5]) } : {}),
      },
      tbsDer: toDer(fields[0]!),
      signerCertificate: octetString(fields[1], 'SES_Signature.cert'),
      signatureAlgorithm: readOid(fields[2], 'SES_Signature.signatureAlgID'),
      signature: bits(fields[3], 'SES_Signature.signature'),
      ...(timeStamp ? { timeStamp: bits(children(timeStamp, 'timeStamp')[0], 'timeStamp') } : {}),
      der: toDer(root),
    };
  });
}
