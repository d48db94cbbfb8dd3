// Builds and signs a license's W3C VC 2.0 credential (vc+jwt: the JWT claims set is the
// credential itself, per VC-JOSE-COSE) and QR presentations in SD-JWT style.
import { randomBytes, randomUUID } from 'node:crypto';
import { CompactSign } from 'jose';
import {
  CREDENTIAL_TYP,
  LICENSE_CREDENTIAL_TYPE,
  PRESENTATION_TYP,
  STATUS_LIST_CREDENTIAL_TYPE,
  VC_CONTEXT_V2,
  disclosureDigest,
  type FieldValue,
  type LicenseCredential,
  type PresentationClaims,
  type StatusEntry,
  type StatusListCredential,
  type StatusPurpose,
} from '@platform/license-verifier';
import type { SigningKey } from '../keys/issuer-keys.ts';

const encoder = new TextEncoder();

/** Signs a JSON payload as a compact JWS with the issuer key. */
export async function signJws(payload: object, key: SigningKey, typ: string): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', typ, kid: key.kid })
    .sign(key.privateKey);
}

export interface CredentialInput {
  identifier: string;
  issuer: { id: string; name: string; code: string };
  holder: LicenseCredential['credentialSubject']['holder'];
  type: { code: string; version: number; name: string };
  version: number;
  fields: Record<string, FieldValue>;
  validFrom: Date;
  validUntil: Date | null;
  issuedAt: Date;
  status: StatusEntry[];
}

export function licenseCredential(input: CredentialInput): LicenseCredential {
  return {
    '@context': [VC_CONTEXT_V2],
    id: `urn:license:${input.identifier}`,
    type: ['VerifiableCredential', LICENSE_CREDENTIAL_TYPE],
    issuer: input.issuer,
    validFrom: input.validFrom.toISOString(),
    ...(input.validUntil ? { validUntil: input.validUntil.toISOString() } : {}),
    credentialSubject: {
      holder: input.holder,
      license: {
        identifier: input.identifier,
        typeCode: input.type.code,
        typeVersion: input.type.version,
        typeName: input.type.name,
        version: input.version,
        issuedAt: input.issuedAt.toISOString(),
        fields: input.fields,
      },
    },
    credentialStatus: input.status,
    iat: Math.floor(input.issuedAt.getTime() / 1000),
  };
}

export function signCredential(credential: LicenseCredential, key: SigningKey): Promise<string> {
  return signJws(credential, key, CREDENTIAL_TYP);
}

export function statusListCredential(input: {
  url: string;
  issuerId: string;
  purpose: StatusPurpose;
  encodedList: string;
  validFrom: Date;
  validUntil: Date;
}): StatusListCredential {
  return {
    '@context': [VC_CONTEXT_V2],
    id: input.url,
    type: ['VerifiableCredential', STATUS_LIST_CREDENTIAL_TYPE],
    issuer: { id: input.issuerId },
    validFrom: input.validFrom.toISOString(),
    validUntil: input.validUntil.toISOString(),
    credentialSubject: {
      id: `${input.url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: input.purpose,
      encodedList: input.encodedList,
    },
  };
}

export interface Presentation {
  jti: string;
  token: string;
  disclosed: string[];
}

/**
 * An SD-JWT-style presentation: the signed part carries salted digests of EVERY field (so the
 * issuer's signature covers them all) and the disclosures of the chosen fields only travel beside it.
 * Digests are sorted, so their order says nothing about which field is which.
 */
export async function signPresentation(
  claims: Omit<PresentationClaims, 'jti' | '_sd' | '_sd_alg'>,
  fields: Record<string, FieldValue>,
  disclose: string[],
  key: SigningKey,
): Promise<Presentation> {
  const jti = randomUUID();
  const disclosures = new Map<string, string>();
  for (const [name, value] of Object.entries(fields))
    disclosures.set(
      name,
      Buffer.from(JSON.stringify([randomBytes(16).toString('base64url'), name, value])).toString('base64url'),
    );
  const digests = [...disclosures.values()].map(disclosureDigest).sort();
  const jwt = await signJws({ ...claims, jti, _sd_alg: 'sha-256', _sd: digests }, key, PRESENTATION_TYP);
  const chosen = disclose.flatMap((name) => {
    const disclosure = disclosures.get(name);
    return disclosure ? [disclosure] : [];
  });
  return {
    jti,
    token: `${jwt}~${chosen.map((d) => `${d}~`).join('')}`,
    disclosed: disclose.filter((n) => disclosures.has(n)),
  };
}
