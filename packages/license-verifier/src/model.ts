// The shapes of the platform's license credentials (W3C VC 2.0 data model, secured as vc+jwt),
// status list credentials and QR presentations, shared by the issuing service and verifiers.

export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
export const CREDENTIAL_TYP = 'vc+jwt';
export const PRESENTATION_TYP = 'license-presentation+sd-jwt';
export const COPY_TYP = 'license-copy+jwt';
export const LICENSE_CREDENTIAL_TYPE = 'ElectronicLicenseCredential';
export const STATUS_LIST_CREDENTIAL_TYPE = 'BitstringStatusListCredential';

export type StatusPurpose = 'revocation' | 'suspension';
export type FieldValue = string | number | boolean | string[];

export interface StatusEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: StatusPurpose;
  /** Decimal string, as the recommendation requires. */
  statusListIndex: string;
  statusListCredential: string;
}

export interface LicenseCredential {
  '@context': string[];
  id: string;
  type: string[];
  issuer: { id: string; name: string; code: string };
  validFrom: string;
  validUntil?: string;
  credentialSubject: {
    holder: { codeType: 'citizen_id' | 'credit_code'; code: string; name: string };
    license: {
      identifier: string;
      typeCode: string;
      typeVersion: number;
      typeName: string;
      version: number;
      issuedAt: string;
      fields: Record<string, FieldValue>;
    };
  };
  credentialStatus: StatusEntry[];
  iat?: number;
}

export interface StatusListCredential {
  '@context': string[];
  id: string;
  type: string[];
  issuer: { id: string } | string;
  validFrom: string;
  validUntil: string;
  credentialSubject: { id: string; type: 'BitstringStatusList'; statusPurpose: StatusPurpose; encodedList: string };
}

/** Claims of the issuer-signed part of a QR presentation (SD-JWT: fields only as salted digests). */
export interface PresentationClaims {
  iss: string;
  jti: string;
  iat: number;
  exp: number;
  nonce?: string;
  vct: string;
  license: {
    identifier: string;
    typeCode: string;
    typeName: string;
    issuerName: string;
    holderName: string;
    validFrom: string;
    validUntil: string | null;
  };
  credentialStatus: StatusEntry[];
  _sd_alg: 'sha-256';
  _sd: string[];
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
