// X.509 v3 extensions (RFC 5280 §4.2) as the CA profiles use them.
import forge from 'node-forge';
import { bool, explicit, ia5, implicit, int, namedBits, octets, oid, seq, toDer, type Asn1 } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';

export interface Extension {
  oid: string;
  critical: boolean;
  value: Asn1;
}

export function extensionsToAsn1(extensions: Extension[]): Asn1 {
  return seq(
    extensions.map((ext) => seq([oid(ext.oid), ...(ext.critical ? [bool(true)] : []), octets(toDer(ext.value))])),
  );
}

const uri = (value: string): Asn1 => implicit(6, ia5(value));

export function basicConstraints(options: { ca: boolean; pathLength?: number }): Extension {
  const value = options.ca
    ? seq([bool(true), ...(options.pathLength === undefined ? [] : [int(options.pathLength)])])
    : seq([]);
  return { oid: OID.basicConstraints, critical: true, value };
}

/** Key usage bits by their RFC 5280 names. */
const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
} as const;
export type KeyUsage = keyof typeof KEY_USAGE_BITS;

export function keyUsage(usages: KeyUsage[]): Extension {
  return { oid: OID.keyUsage, critical: true, value: namedBits(usages.map((u) => KEY_USAGE_BITS[u])) };
}

export function extendedKeyUsage(purposes: string[], critical = false): Extension {
  return { oid: OID.extKeyUsage, critical, value: seq(purposes.map(oid)) };
}

export function subjectKeyIdentifier(keyId: Buffer): Extension {
  return { oid: OID.subjectKeyIdentifier, critical: false, value: octets(keyId) };
}

export function authorityKeyIdentifier(keyId: Buffer): Extension {
  const node = forge.asn1.create(forge.asn1.Class.CONTEXT_SPECIFIC, 0, false, keyId.toString('binary'));
  return { oid: OID.authorityKeyIdentifier, critical: false, value: seq([node]) };
}

export function crlDistributionPoint(url: string): Extension {
  // DistributionPoint { distributionPoint [0] { fullName [0] GeneralNames { [6] URI } } }
  const fullName = forge.asn1.create(forge.asn1.Class.CONTEXT_SPECIFIC, 0, true, [uri(url)]);
  return { oid: OID.crlDistributionPoints, critical: false, value: seq([seq([explicit(0, fullName)])]) };
}

export function authorityInfoAccess(options: { ocsp?: string; caIssuers?: string }): Extension {
  const descriptions: Asn1[] = [];
  if (options.ocsp) descriptions.push(seq([oid(OID.ocspAccessMethod), uri(options.ocsp)]));
  if (options.caIssuers) descriptions.push(seq([oid(OID.caIssuersAccessMethod), uri(options.caIssuers)]));
  return { oid: OID.authorityInfoAccess, critical: false, value: seq(descriptions) };
}
