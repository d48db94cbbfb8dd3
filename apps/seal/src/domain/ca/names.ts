// X.500 distinguished names for the CA hierarchy and for seals.
import { oid, printable, seq, set, utf8, type Asn1 } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';

export interface DistinguishedName {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  /** organizationIdentifier (X.520): here the organisation's unified social credit code. */
  organizationIdentifier?: string;
  country?: string;
}

export function nameToAsn1(name: DistinguishedName): Asn1 {
  const rdns: Asn1[] = [];
  const add = (type: string, value: Asn1) => rdns.push(set([seq([oid(type), value])]));
  if (name.country) add(OID.countryName, printable(name.country));
  if (name.organization) add(OID.organizationName, utf8(name.organization));
  if (name.organizationalUnit) add(OID.organizationalUnitName, utf8(name.organizationalUnit));
  if (name.organizationIdentifier) add(OID.organizationIdentifier, utf8(name.organizationIdentifier));
  add(OID.commonName, utf8(name.commonName));
  return seq(rdns);
}
