// @platform/license-verifier: verify e-license credentials and QR presentations offline, with the
// issuers' JWKS and cached status lists only. Embeddable in any Node app (counter terminals, apps).
export {
  MIN_STATUS_LIST_ENTRIES,
  createBitstring,
  decodeBitstring,
  encodeBitstring,
  getBit,
  setBit,
} from './bitstring.ts';
export { disclosureDigest, parseJws, type ParsedJws } from './jws.ts';
export * from './model.ts';
export {
  StatusListCache,
  StatusListError,
  readStatusListCredential,
  type CachedStatusList,
  type StatusLookup,
} from './status-lists.ts';
export { TrustStore, type PublicJwk, type TrustedIssuer, type TrustedKey } from './trust-store.ts';
export {
  statusFrom,
  verifyLicenseCredential,
  verifyLicensePresentation,
  type CredentialVerdict,
  type PresentationOptions,
  type PresentationVerdict,
  type VerificationFailure,
  type VerificationFailureCode,
  type VerifiedStatus,
  type VerifyOptions,
} from './verify.ts';
