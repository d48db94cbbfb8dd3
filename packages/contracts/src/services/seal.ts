// The e-seal service: certificate authority, seals and their lifecycle, authorisation to use a seal
// (用印授权), usage approval (用印审批), signing (PAdES, detached CMS, batches) and verification.
import { UnifiedSocialCreditCode } from '@platform/identifiers';
import { z } from 'zod';
import { mutation, query } from '../procedure.ts';
import { systemContract } from '../system.ts';
import { gbt38540Contract } from './seal-gbt38540.ts';
import { Base64, IdempotencyKey } from './seal-fields.ts';
import type { ContractRouter } from '../procedure.ts';

export const CaCertificate = z.object({
  pem: z.string().describe('The certificate, PEM-encoded'),
  serial: z.string().describe('Serial number, lowercase hex'),
  notBefore: z.iso.datetime(),
  notAfter: z.iso.datetime(),
});
export type CaCertificate = z.infer<typeof CaCertificate>;

export const CaCertificates = z.object({
  root: CaCertificate.describe('Trust anchor: import it to verify seals'),
  issuing: CaCertificate.describe('Issues seal and timestamp certificates'),
  timestamping: CaCertificate.describe('The RFC 3161 timestamp authority'),
  urls: z.object({
    rootCertificate: z.url(),
    issuingCertificate: z.url(),
    rootCrl: z.url(),
    issuingCrl: z.url(),
    ocsp: z.url(),
    timestamp: z.url(),
  }),
});
export type CaCertificates = z.infer<typeof CaCertificates>;

const Instant = z.iso.datetime().describe('UTC instant, ISO 8601');
const tags = (tag: string) => [tag];

export const SealKind = z
  .enum(['official', 'contract', 'finance', 'invoice', 'business'])
  .describe('official 公章, contract 合同专用章, finance 财务专用章, invoice 发票专用章, business 业务专用章');
export type SealKind = z.infer<typeof SealKind>;

export const SealStatus = z
  .enum(['applied', 'approved', 'made', 'filed', 'active', 'suspended', 'lost', 'cancelled', 'expired'])
  .describe(
    'applied → approved → made → filed → active ⇄ suspended; lost, cancelled and expired are final (lost → cancelled)',
  );
export type SealStatus = z.infer<typeof SealStatus>;

export const SealKeyAlgorithm = z
  .enum(['rsa-2048', 'ecdsa-p256', 'sm2'])
  .describe('sm2: a GB/T 38540 seal (SM2/SM3), signing through gbt38540.sign; the others sign PDFs and CMS');

/** A person or client as identity names it: the `sub` of its access tokens. */
export const Subject = z.string().trim().min(1).max(200).describe('Identity subject (`sub` of the access token)');
export const DocumentType = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .describe('Kind of document the seal is used on, e.g. license, receipt, contract');
const Reason = z.string().trim().min(1).max(500);

export const SealCertificateView = z.object({
  serial: z.string().describe('Serial number, lowercase hex'),
  notBefore: Instant,
  notAfter: Instant,
  revokedAt: Instant.nullable(),
  pem: z.string(),
});

export const SealView = z.object({
  id: z.uuid(),
  orgCode: z.string().describe('Unified social credit code of the owning organisation'),
  orgName: z.string(),
  name: z.string(),
  kind: SealKind,
  status: SealStatus.describe('Effective status: expired once validUntil has passed'),
  keyAlgorithm: SealKeyAlgorithm,
  widthMm: z.number().int(),
  heightMm: z.number().int(),
  validFrom: Instant.nullable().describe('Set when the seal is made'),
  validUntil: Instant,
  certificate: SealCertificateView.nullable().describe('Issued when the seal is made'),
  filingNumber: z.string().nullable().describe('Number given by the seal registry (备案)'),
  appliedBy: z.string(),
  approvedBy: z.string().nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type SealView = z.infer<typeof SealView>;

export const SealEventView = z.object({
  id: z.uuid(),
  fromStatus: SealStatus.nullable(),
  toStatus: SealStatus,
  actor: z.string(),
  reason: z.string().nullable(),
  at: Instant,
});
export type SealEventView = z.infer<typeof SealEventView>;

export const SealApplication = z.strictObject({
  orgCode: UnifiedSocialCreditCode,
  orgName: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(200).describe('e.g. 济南市数据管理局合同专用章'),
  kind: SealKind,
  keyAlgorithm: SealKeyAlgorithm.default('rsa-2048'),
  widthMm: z.number().int().min(20).max(60).default(42),
  heightMm: z.number().int().min(20).max(60).default(42),
  validUntil: Instant.describe('End of validity asked for; the certificate ends then too'),
  reason: Reason.optional(),
});
export type SealApplication = z.infer<typeof SealApplication>;

const SealTransition = z.strictObject({ sealId: z.uuid(), reason: Reason.optional() });
const SealTransitionWithReason = z.strictObject({ sealId: z.uuid(), reason: Reason });
const BySeal = z.strictObject({ sealId: z.uuid() });

export const SealImage = z.object({
  format: z.enum(['svg', 'png']),
  mediaType: z.enum(['image/svg+xml', 'image/png']),
  base64: z.string(),
  widthMm: z.number().int(),
  heightMm: z.number().int(),
});

export const AuthorizationView = z.object({
  id: z.uuid(),
  sealId: z.uuid(),
  subjects: z.array(z.string()),
  documentTypes: z.array(z.string()),
  validFrom: Instant,
  validUntil: Instant,
  maxUses: z.number().int().nullable().describe('null = no limit'),
  usedCount: z.number().int(),
  requiresApproval: z.boolean().describe('Each use needs a usage request approved by a second person (用印审批)'),
  approvers: z.array(z.string()).describe('Who may approve usage requests; empty = anyone with seal:approve'),
  grantedBy: z.string(),
  revokedAt: Instant.nullable(),
  createdAt: Instant,
});
export type AuthorizationView = z.infer<typeof AuthorizationView>;

export const AuthorizationGrant = z
  .strictObject({
    sealId: z.uuid(),
    subjects: z.array(Subject).min(1).max(100),
    documentTypes: z.array(DocumentType).min(1).max(100),
    validFrom: Instant.optional().describe('Defaults to now'),
    validUntil: Instant,
    maxUses: z.number().int().positive().nullable().default(null),
    requiresApproval: z.boolean().default(false),
    approvers: z.array(Subject).max(100).default([]),
  })
  .refine((g) => !g.validFrom || g.validFrom < g.validUntil, {
    message: 'validFrom must be before validUntil',
    path: ['validUntil'],
  });
export type AuthorizationGrant = z.infer<typeof AuthorizationGrant>;

export const UsageRequestStatus = z.enum(['pending', 'approved', 'rejected', 'used']);
export const UsageRequestView = z.object({
  id: z.uuid(),
  authorizationId: z.uuid(),
  sealId: z.uuid(),
  requestedBy: z.string(),
  documentType: z.string(),
  purpose: z.string(),
  status: UsageRequestStatus,
  decidedBy: z.string().nullable(),
  decidedAt: Instant.nullable(),
  decisionReason: z.string().nullable(),
  usedAt: Instant.nullable(),
  createdAt: Instant,
});
export type UsageRequestView = z.infer<typeof UsageRequestView>;

/** Where the visible seal goes: a position, or centred on the n-th occurrence of a text. */
export const SealPlacement = z.strictObject({
  page: z.number().int().min(1).describe('1-based page number'),
  x: z.number().min(0).describe('Left edge of the seal, PDF points from the left of the page'),
  y: z.number().min(0).describe('Bottom edge of the seal, PDF points from the bottom of the page'),
});
export const SealAnchor = z.strictObject({
  text: z.string().min(1).max(100).describe('Text the seal is centred on, e.g. （盖章）'),
  occurrence: z.number().int().min(1).default(1).describe('Which occurrence in reading order (1 = first)'),
});

export const SignatureLevel = z
  .enum(['B-T', 'B-LT', 'B-LTA'])
  .describe(
    'PAdES baseline level: B-T adds an RFC 3161 timestamp; B-LT adds validation data (DSS); B-LTA then a document timestamp',
  );

export const SignPdfRequest = z
  .strictObject({
    sealId: z.uuid(),
    documentType: DocumentType,
    idempotencyKey: IdempotencyKey,
    pdf: Base64.describe('The PDF to seal, base64'),
    placement: SealPlacement.optional(),
    anchor: SealAnchor.optional(),
    usageRequestId: z.uuid().optional().describe('Approved usage request, when the authorisation requires one'),
    level: SignatureLevel.default('B-T'),
    reason: z.string().trim().min(1).max(200).optional().describe('/Reason of the signature, e.g. 电子证照签发'),
    location: z.string().trim().min(1).max(200).optional(),
  })
  .refine((r) => (r.placement === undefined) !== (r.anchor === undefined), {
    message: 'give exactly one of placement or anchor',
    path: ['placement'],
  });
export type SignPdfRequest = z.infer<typeof SignPdfRequest>;

export const PdfSignatureFacts = z.object({
  operationId: z.uuid(),
  sealId: z.uuid(),
  documentType: z.string(),
  level: SignatureLevel,
  signingTime: Instant.describe('Time in /M and in the signature timestamp'),
  certificateSerial: z.string(),
  page: z.number().int(),
  rect: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
  byteRange: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
  sha256: z.string().describe('SHA-256 of the signed PDF, hex'),
});
export type PdfSignatureFacts = z.infer<typeof PdfSignatureFacts>;

export const SignPdfResult = z.object({
  pdf: z.string().describe('The signed PDF, base64: the input unchanged plus an incremental update'),
  signature: PdfSignatureFacts,
});
export type SignPdfResult = z.infer<typeof SignPdfResult>;

export const SignCmsRequest = z.strictObject({
  sealId: z.uuid(),
  documentType: DocumentType,
  idempotencyKey: IdempotencyKey,
  content: Base64.describe('The bytes to sign, base64'),
  usageRequestId: z.uuid().optional(),
});
export type SignCmsRequest = z.infer<typeof SignCmsRequest>;

export const SignCmsResult = z.object({
  cms: z.string().describe('Detached CMS SignedData (CAdES B-T), DER, base64'),
  signature: z.object({
    operationId: z.uuid(),
    sealId: z.uuid(),
    documentType: z.string(),
    level: z.literal('CAdES-B-T'),
    signingTime: Instant,
    certificateSerial: z.string(),
    contentSha256: z.string().describe('SHA-256 of the signed content, hex'),
  }),
});
export type SignCmsResult = z.infer<typeof SignCmsResult>;

export const SignBatchRequest = z.strictObject({
  documents: z
    .array(SignPdfRequest)
    .min(1)
    .max(50)
    .describe('Each document is signed on its own, with its own idempotency key'),
});
export const SignBatchItemResult = z.discriminatedUnion('ok', [
  z.object({ index: z.number().int(), ok: z.literal(true), result: SignPdfResult }),
  z.object({
    index: z.number().int(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);
export const SignBatchResult = z.object({ results: z.array(SignBatchItemResult) });
export type SignBatchResult = z.infer<typeof SignBatchResult>;

// Verification reports (PDF signatures, detached CMS). A failed check is an answer, not an error:
// the verdict says passed / failed / indeterminate, with a stable reason code when not passed.
const VerifiedInstant = z.iso.datetime().describe('UTC instant, ISO 8601');

export const VerificationVerdict = z
  .enum(['passed', 'failed', 'indeterminate'])
  .describe('passed: valid; failed: proven invalid; indeterminate: could not be proven either way');

export const VerificationReason = z
  .enum([
    'FORMAT_FAILURE',
    'HASH_FAILURE',
    'SIG_CRYPTO_FAILURE',
    'NO_SIGNING_CERTIFICATE_FOUND',
    'SIGNING_CERTIFICATE_MISMATCH',
    'MODIFIED_AFTER_SIGNING',
    'NO_CERTIFICATE_CHAIN_FOUND',
    'CHAIN_CONSTRAINTS_FAILURE',
    'CERTIFICATE_NOT_VALID_AT_SIGNING_TIME',
    'REVOKED',
    'REVOKED_NO_POE',
    'REVOCATION_UNAVAILABLE',
    'TIMESTAMP_FAILURE',
    'SEAL_NOT_USABLE_AT_SIGNING_TIME',
    'SEAL_STATUS_NO_POE',
  ])
  .describe('Why a signature did not pass (EN 319 102-1 sub-indications where one fits)');

export const VerifiedCertificate = z.object({
  subject: z.string(),
  commonName: z.string().nullable(),
  issuer: z.string(),
  serial: z.string().describe('Lowercase hex'),
  notBefore: VerifiedInstant,
  notAfter: VerifiedInstant,
  sha256: z.string().describe('SHA-256 fingerprint of the DER, lowercase hex'),
});

export const SignatureCheck = z.object({
  verdict: VerificationVerdict,
  reason: VerificationReason.nullable(),
  message: z.string().describe('One sentence for people; clients branch on verdict and reason'),
  integrity: z.object({
    valid: z.boolean(),
    digestAlgorithm: z.string().nullable(),
    messageDigestMatches: z.boolean(),
    signatureValid: z.boolean(),
    problem: z.string().nullable(),
  }),
  signer: VerifiedCertificate.nullable(),
  signingCertificateV2: z
    .enum(['matches', 'mismatch', 'absent'])
    .describe('Whether the signed ESS signing-certificate-v2 attribute names the signer certificate'),
  chain: z.object({
    trusted: z.boolean().describe('Ends at a trust anchor (this service’s root or an explicitly trusted root)'),
    certificates: z.array(VerifiedCertificate).describe('Signer first, trust anchor last when trusted'),
    problem: z.string().nullable(),
  }),
  signingTime: z.object({
    claimed: VerifiedInstant.nullable().describe('What the signer wrote (/M); not proof'),
    trusted: VerifiedInstant.nullable().describe('The signature timestamp’s genTime'),
    validationTime: VerifiedInstant.describe('Instant the certificate, revocation and seal checks were made at'),
  }),
  timestamp: z.object({
    present: z.boolean(),
    valid: z.boolean(),
    genTime: VerifiedInstant.nullable(),
    authority: z.string().nullable(),
    imprintMatches: z.boolean().describe('Its messageImprint is the hash of the signature value'),
    problem: z.string().nullable(),
  }),
  revocation: z.object({
    status: z.enum(['good', 'revoked-after-signing', 'revoked', 'unknown', 'unavailable']),
    revokedAt: VerifiedInstant.nullable(),
    reason: z.string().nullable(),
    source: z.enum(['crl', 'ocsp']).nullable(),
  }),
  seal: z.object({
    found: z.boolean().describe('A seal of this service holds the signer certificate'),
    sealId: z.string().nullable(),
    name: z.string().nullable(),
    organisation: z.string().nullable(),
    orgCode: z.string().nullable(),
    statusAtSigningTime: z.string().nullable().describe('Lifecycle status at the validation time'),
    usableAtSigningTime: z.boolean().nullable(),
    currentStatus: z.string().nullable(),
  }),
});
export type SignatureCheck = z.infer<typeof SignatureCheck>;

export const PdfSignatureReport = SignatureCheck.extend({
  index: z.number().int().describe('1-based, in the order the signatures were made'),
  fieldName: z.string().nullable(),
  kind: z.enum(['signature', 'document-timestamp']),
  subFilter: z.string().nullable(),
  byteRange: z.array(z.number().int()).nullable(),
  coverage: z.object({
    wholeDocument: z.boolean(),
    signedBytes: z.number().int(),
    documentBytes: z.number().int(),
    laterRevisions: z.number().int().describe('Incremental updates appended after this signature'),
    changesAfterSigning: z
      .enum(['none', 'signatures-and-validation-data', 'content-modified'])
      .describe('What those updates changed: only further signatures and DSS, or the content'),
    modifiedObjects: z.array(z.string()),
  }),
  level: z.enum(['none', 'B-B', 'B-T', 'B-LT', 'B-LTA']).describe('PAdES baseline level reached (EN 319 142-1)'),
});
export type PdfSignatureReport = z.infer<typeof PdfSignatureReport>;

export const PdfVerificationReport = z.object({
  verdict: VerificationVerdict,
  reason: VerificationReason.nullable(),
  documentBytes: z.number().int(),
  documentSha256: z.string(),
  signatures: z.array(PdfSignatureReport),
  dss: z.object({ certificates: z.number().int(), crls: z.number().int(), ocsps: z.number().int() }).nullable(),
  verifiedAt: VerifiedInstant,
});
export type PdfVerificationReport = z.infer<typeof PdfVerificationReport>;

export const CmsVerificationReport = z.object({
  verdict: VerificationVerdict,
  reason: VerificationReason.nullable(),
  contentBytes: z.number().int(),
  signers: z.array(SignatureCheck),
  verifiedAt: VerifiedInstant,
});
export type CmsVerificationReport = z.infer<typeof CmsVerificationReport>;

export const sealContract = {
  system: systemContract,
  gbt38540: gbt38540Contract,
  ca: {
    certificates: query({
      input: z.void(),
      output: CaCertificates,
      access: 'public',
      rest: {
        method: 'GET',
        path: '/ca/certificates',
        summary:
          'The CA hierarchy (root, issuing CA, timestamp authority) and where CRLs, OCSP and timestamps are served',
        tags: ['ca'],
      },
    }),
  },
  seal: {
    // Not `apply`: tRPC reserves that name on routers.
    applyFor: mutation({
      input: SealApplication,
      output: SealView,
      rest: {
        method: 'POST',
        path: '/seals',
        summary: 'Apply for a seal (status applied). Scope seal:admin',
        tags: tags('seals'),
      },
    }),
    approve: mutation({
      input: SealTransition,
      output: SealView,
      rest: {
        method: 'POST',
        path: '/seals/{sealId}/approve',
        summary: 'Approve an application; the approver must not be the applicant. Scope seal:admin',
        tags: tags('seals'),
      },
    }),
    make: mutation({
      input: SealTransition,
      output: SealView,
      rest: {
        method: 'POST',
        path: '/seals/{sealId}/make',
        summary: 'Make the seal: its key, its certificate from the issuing CA and its image. Scope seal:admin',
        tags: tags('seals'),
      },
    }),
    file: mutation({
      input: SealTransition,
      output: SealView,
      rest: {
        method: 'POST',
        path: '/seals/{sealId}/file',
        summary: 'File the made seal with the seal registry (备案); records the filing number. Scope seal:admin',
        tags: tags('seals'),
      },
    }),
    activate: mutation({
      input: SealTransition,
      output: SealView,
      rest: {
        method: 'POST',
        path: '/seals/{sealId}/activate',
        summary: 'Put a filed seal into use. Scope seal:admin',
        tags: tags('seals'),
      },
    }),
    suspend: mutation({
      input: SealTransitionWithReason,
      output: SealView,
      rest: {
        method: 'POST',
        path: '/seals/{sealId}/suspend',
        summary: 'Suspend an active seal. Scope seal:admin',
        tags: tags('seals'),
      },
    }),
    reinstate: mutation({
      input: SealTransition,
      output: SealView,
      rest: {
        method: 'POST',
        path: '/seals/{sealId}/reinstate',
        summary: 'Reinstate a suspended seal. Scope seal:admin',
        tags: tags('seals'),
      },
    }),
    reportLost: mutation({
      input: SealTransitionWithReason,
      output: SealView,
      rest: {
        method: 'POST',
        path: '/seals/{sealId}/report-lost',
        summary:
          'Report the seal lost: it can no longer sign and its certificate is revoked (keyCompromise). Scope seal:admin',
        tags: tags('seals'),
      },
    }),
    cancel: mutation({
      input: SealTransitionWithReason,
      output: SealView,
      rest: {
        method: 'POST',
        path: '/seals/{sealId}/cancel',
        summary: 'Cancel the seal for good; its certificate is revoked (cessationOfOperation). Scope seal:admin',
        tags: tags('seals'),
      },
    }),
    get: query({
      input: BySeal,
      output: SealView,
      rest: { method: 'GET', path: '/seals/{sealId}', summary: 'One seal. Any seal:* scope', tags: tags('seals') },
    }),
    list: query({
      input: z.strictObject({
        orgCode: z.string().max(18).optional(),
        status: SealStatus.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
      output: z.array(SealView),
      rest: { method: 'GET', path: '/seals', summary: 'Seals, newest first. Any seal:* scope', tags: tags('seals') },
    }),
    image: query({
      input: z.strictObject({ sealId: z.uuid(), format: z.enum(['svg', 'png']).default('png') }),
      output: SealImage,
      rest: {
        method: 'GET',
        path: '/seals/{sealId}/image',
        summary: 'The seal image (SVG or PNG at 12 px/mm), base64. Any seal:* scope',
        tags: tags('seals'),
      },
    }),
    events: query({
      input: BySeal,
      output: z.array(SealEventView),
      rest: {
        method: 'GET',
        path: '/seals/{sealId}/events',
        summary: 'Audit of the lifecycle: every change, who and why. Any seal:* scope',
        tags: tags('seals'),
      },
    }),
  },
  authorization: {
    grant: mutation({
      input: AuthorizationGrant,
      output: AuthorizationView,
      rest: {
        method: 'POST',
        path: '/authorizations',
        summary:
          'Authorise subjects to use a seal for document types, in a window, up to a number of uses. Scope seal:admin',
        tags: tags('authorizations'),
      },
    }),
    revoke: mutation({
      input: z.strictObject({ authorizationId: z.uuid(), reason: Reason.optional() }),
      output: AuthorizationView,
      rest: {
        method: 'POST',
        path: '/authorizations/{authorizationId}/revoke',
        summary: 'End an authorisation now. Scope seal:admin',
        tags: tags('authorizations'),
      },
    }),
    list: query({
      input: z.strictObject({ sealId: z.uuid() }),
      output: z.array(AuthorizationView),
      rest: {
        method: 'GET',
        path: '/seals/{sealId}/authorizations',
        summary: 'Authorisations of a seal, newest first. Scope seal:admin',
        tags: tags('authorizations'),
      },
    }),
  },
  usage: {
    request: mutation({
      input: z.strictObject({
        sealId: z.uuid(),
        documentType: DocumentType,
        purpose: Reason.describe('What the seal will be used on and why'),
      }),
      output: UsageRequestView,
      rest: {
        method: 'POST',
        path: '/usage-requests',
        summary: 'Ask to use a seal once (用印申请), under an authorisation that requires approval. Scope seal:sign',
        tags: tags('usage'),
      },
    }),
    approve: mutation({
      input: z.strictObject({ usageRequestId: z.uuid(), reason: Reason.optional() }),
      output: UsageRequestView,
      rest: {
        method: 'POST',
        path: '/usage-requests/{usageRequestId}/approve',
        summary: 'Approve a usage request (用印审批); never by its requester. Scope seal:approve',
        tags: tags('usage'),
      },
    }),
    reject: mutation({
      input: z.strictObject({ usageRequestId: z.uuid(), reason: Reason }),
      output: UsageRequestView,
      rest: {
        method: 'POST',
        path: '/usage-requests/{usageRequestId}/reject',
        summary: 'Reject a usage request. Scope seal:approve',
        tags: tags('usage'),
      },
    }),
    pending: query({
      input: z.strictObject({ sealId: z.uuid().optional() }),
      output: z.array(UsageRequestView),
      rest: {
        method: 'GET',
        path: '/usage-requests/pending',
        summary: 'Usage requests waiting for a decision the caller may make. Scope seal:approve',
        tags: tags('usage'),
      },
    }),
  },
  sign: {
    pdf: mutation({
      input: SignPdfRequest,
      output: SignPdfResult,
      rest: {
        method: 'POST',
        path: '/sign/pdf',
        summary:
          'Seal a PDF (PAdES B-T, visible seal at a position or on an anchor text); idempotent by idempotencyKey. Scope seal:sign and an authorisation for the seal',
        tags: tags('sign'),
      },
    }),
    cms: mutation({
      input: SignCmsRequest,
      output: SignCmsResult,
      rest: {
        method: 'POST',
        path: '/sign/cms',
        summary: 'Detached CMS (CAdES B-T) over any bytes; idempotent by idempotencyKey. Scope seal:sign',
        tags: tags('sign'),
      },
    }),
    batch: mutation({
      input: SignBatchRequest,
      output: SignBatchResult,
      rest: {
        method: 'POST',
        path: '/sign/batch',
        summary: 'Seal many PDFs in one call; each document has its own result and idempotency key. Scope seal:sign',
        tags: tags('sign'),
      },
    }),
  },
  verify: {
    pdf: mutation({
      input: z.strictObject({ pdf: Base64.describe('The signed PDF, base64') }),
      output: PdfVerificationReport,
      access: 'public',
      rest: {
        method: 'POST',
        path: '/verify/pdf',
        summary:
          'Verify every signature of a PDF: integrity, coverage, chain to this service’s root, revocation and seal status at signing time, timestamp, PAdES level',
        tags: ['verify'],
      },
    }),
    cms: mutation({
      input: z.strictObject({
        cms: Base64.describe('Detached CMS SignedData (DER), base64'),
        content: Base64.describe('The signed bytes, base64'),
      }),
      output: CmsVerificationReport,
      access: 'public',
      rest: {
        method: 'POST',
        path: '/verify/cms',
        summary: 'Verify a detached CMS signature over the given content',
        tags: ['verify'],
      },
    }),
  },
};

export type SealRouter = ContractRouter<typeof sealContract>;
