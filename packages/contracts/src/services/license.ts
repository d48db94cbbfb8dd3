// The e-license service: license types, issuing, status, verifying, QR presentations (亮证),
// holders' wallets, use grants (用证授权) and the usage log.
import { CitizenIdNumber, LicenseIdentifier, UnifiedSocialCreditCode } from '@platform/identifiers';
import { z } from 'zod';
import { mutation, query } from '../procedure.ts';
import type { ContractRouter } from '../procedure.ts';
import { systemContract } from '../system.ts';

const Instant = z.iso.datetime().describe('UTC instant, ISO 8601');
const tags = (tag: string) => [tag];

/** GB/T 36904 type code: the defining department's 18-char credit code + a 3-digit sequence. */
export const LicenseTypeCode = z
  .string()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{18}\d{3}$/, '18 credit-code characters followed by 3 digits')
  .describe('GB/T 36904 license type code (21 characters)');

/** A field name of a license type: also its key in credentials, so kept to safe identifiers. */
export const FieldName = z.string().regex(/^[a-z][a-zA-Z0-9]{0,49}$/, 'camelCase, up to 50 characters');

export const FieldValue = z.union([
  z.string().max(2000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(500)).max(100),
]);
export type FieldValue = z.infer<typeof FieldValue>;
export const FieldValues = z.record(z.string(), FieldValue);

/** One field of a type: a subset of JSON Schema 2020-12 plus `x-sensitive`. */
export const FieldDefinition = z.strictObject({
  type: z.enum(['string', 'integer', 'number', 'boolean', 'array']),
  title: z.string().min(1).max(100).describe('Label on the license, e.g. 统一社会信用代码'),
  description: z.string().max(500).optional(),
  format: z
    .enum(['date', 'date-time', 'citizen-id', 'credit-code'])
    .optional()
    .describe('date: YYYY-MM-DD; citizen-id / credit-code: checked with their check characters'),
  pattern: z.string().max(500).optional().describe('ECMAScript regular expression the whole value must match'),
  minLength: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().positive().max(2000).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  enum: z.array(z.string().max(200)).min(1).max(200).optional(),
  items: z
    .strictObject({
      type: z.literal('string'),
      enum: z.array(z.string().max(200)).min(1).max(200).optional(),
      maxLength: z.number().int().positive().max(500).optional(),
    })
    .optional(),
  maxItems: z.number().int().positive().max(100).optional(),
  'x-sensitive': z
    .boolean()
    .optional()
    .describe('Shown only to verifiers with the sensitive-fields right, or when the holder discloses it'),
});
export type FieldDefinition = z.infer<typeof FieldDefinition>;

export const FieldSchema = z
  .strictObject({
    $schema: z.literal('https://json-schema.org/draft/2020-12/schema').optional(),
    type: z.literal('object'),
    properties: z.record(FieldName, FieldDefinition),
    required: z.array(FieldName).max(100),
    additionalProperties: z.literal(false),
  })
  .describe('JSON Schema (subset) of the license fields');
export type FieldSchema = z.infer<typeof FieldSchema>;

export const ValidityRules = z.strictObject({
  defaultDays: z
    .number()
    .int()
    .positive()
    .nullable()
    .describe('Validity when the request names no validUntil; null = long-term (长期)'),
  maxDays: z.number().int().positive().nullable().describe('Longest validity a request may ask for; null = no limit'),
  longTermAllowed: z.boolean().describe('Whether a license may be valid without end'),
});
export type ValidityRules = z.infer<typeof ValidityRules>;

export const Layout = z.strictObject({
  title: z.string().min(1).max(100).describe('Title printed on the license file'),
  orientation: z.enum(['portrait', 'landscape']),
  fieldOrder: z.array(FieldName).max(100).describe('Fields in print order'),
  qrPosition: z.enum(['top-right', 'bottom-right', 'bottom-left']),
  sealPosition: z
    .enum(['bottom-right', 'bottom-center', 'bottom-left'])
    .optional()
    .describe(
      'Where the issuer block (发证机关, date, （盖章）) and the seal go; default bottom-right, or bottom-center when the QR code is there',
    ),
});
export type Layout = z.infer<typeof Layout>;

export const HolderKind = z.enum(['person', 'organization', 'any']);
export const IssuingAuthority = z.strictObject({
  name: z.string().trim().min(1).max(200),
  code: UnifiedSocialCreditCode,
});

export const LicenseTypeDefinition = z.strictObject({
  name: z.string().trim().min(1).max(200),
  issuingAuthority: IssuingAuthority,
  holderKind: HolderKind,
  fieldSchema: FieldSchema,
  validity: ValidityRules,
  layout: Layout,
});
export type LicenseTypeDefinition = z.infer<typeof LicenseTypeDefinition>;

export const LicenseTypeView = LicenseTypeDefinition.extend({
  id: z.uuid(),
  code: LicenseTypeCode,
  version: z.number().int().positive(),
  status: z.enum(['active', 'retired']),
  retiredAt: Instant.nullable(),
  retiredReason: z.string().nullable(),
  createdAt: Instant,
});
export type LicenseTypeView = z.infer<typeof LicenseTypeView>;

export const Holder = z.discriminatedUnion('codeType', [
  z.strictObject({
    codeType: z.literal('citizen_id').describe('GB/T 36903 code type 111'),
    code: CitizenIdNumber,
    name: z.string().trim().min(1).max(200),
  }),
  z.strictObject({
    codeType: z.literal('credit_code').describe('GB/T 36903 code type 001'),
    code: UnifiedSocialCreditCode,
    name: z.string().trim().min(1).max(200),
  }),
]);
export type Holder = z.infer<typeof Holder>;

export const LicenseStatus = z.enum(['active', 'suspended', 'revoked', 'replaced', 'expired', 'not_yet_valid']);
export type LicenseStatus = z.infer<typeof LicenseStatus>;

export const LicenseView = z.object({
  id: z.uuid(),
  identifier: z.string(),
  type: z.object({ code: LicenseTypeCode, version: z.number().int(), name: z.string() }),
  issuer: z.object({ code: z.string(), name: z.string() }),
  holder: z.object({ codeType: z.enum(['citizen_id', 'credit_code']), code: z.string(), name: z.string() }),
  fields: FieldValues,
  validFrom: Instant,
  validUntil: Instant.nullable().describe('null = long-term'),
  issuedAt: Instant,
  status: LicenseStatus.describe('Effective status: expired once validUntil has passed'),
  statusReason: z.string().nullable(),
  version: z.number().int().positive(),
  caseId: z.string().nullable(),
  replacesIdentifier: z.string().nullable(),
  replacedByIdentifier: z.string().nullable(),
  credential: z.string().describe('Signed W3C VC 2.0 credential, vc+jwt (compact JWS, ES256)'),
});
export type LicenseView = z.infer<typeof LicenseView>;

const Reason = z.string().trim().min(1).max(500);
const CaseId = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .describe('The closed case this license comes from; the idempotency key of issuing');

export const LicenseFileView = z.object({
  identifier: z.string(),
  state: z
    .enum(['pending_seal', 'sealed'])
    .describe('pending_seal: the license is valid, its file waits for the seal service (retried automatically)'),
  pdf: z
    .string()
    .nullable()
    .describe('The sealed PDF, base64; null until sealed (an unsealed file is never handed out)'),
  sha256: z.string().nullable().describe('SHA-256 of the sealed PDF, hex'),
  sealedAt: Instant.nullable(),
  attempts: z.number().int().describe('Sealing attempts so far'),
});
export type LicenseFileView = z.infer<typeof LicenseFileView>;

export const IssueRequest = z.strictObject({
  caseId: CaseId,
  typeCode: LicenseTypeCode,
  holder: Holder,
  fields: FieldValues,
  validFrom: Instant.optional().describe('Defaults to now'),
  validUntil: Instant.nullable().optional().describe('Defaults from the type; null asks for long-term'),
});
export type IssueRequest = z.infer<typeof IssueRequest>;

export const VerificationFailureCode = z.enum([
  'LICENSE_NOT_FOUND',
  'CREDENTIAL_MALFORMED',
  'CREDENTIAL_SIGNATURE_INVALID',
  'CREDENTIAL_ISSUER_UNKNOWN',
  'STATUS_LIST_INVALID',
  'STATUS_LIST_UNAVAILABLE',
  'PRESENTATION_INVALID',
  'PRESENTATION_EXPIRED',
  'PRESENTATION_ALREADY_USED',
  'PRESENTATION_NONCE_MISMATCH',
]);

export const VerificationResult = z.object({
  authentic: z.boolean().describe('Signed by its issuer and unaltered (and, for QR, fresh and unused)'),
  valid: z.boolean().describe('Authentic and currently active'),
  status: z
    .enum([...LicenseStatus.options, 'unknown'])
    .nullable()
    .describe('Null when the license could not be identified; unknown when its status list was not available'),
  identifier: z.string().nullable(),
  type: z.object({ code: z.string(), name: z.string() }).nullable(),
  issuer: z.object({ code: z.string(), name: z.string() }).nullable(),
  holderName: z.string().nullable().describe('Masked unless the verifier may see it'),
  validFrom: Instant.nullable(),
  validUntil: Instant.nullable(),
  fields: FieldValues.describe('Only the fields this verifier may see (or the holder disclosed)'),
  failure: z.object({ code: VerificationFailureCode, message: z.string() }).nullable(),
  recognition: z
    .object({
      region: z.string(),
      issuerId: z.string(),
      foreignTypeCode: z.string(),
      localTypeCode: LicenseTypeCode.nullable().describe('The equivalent local type, when one is mapped'),
    })
    .optional()
    .describe('Present when the license was issued by another region’s trusted node (互认互通)'),
});
export type VerificationResult = z.infer<typeof VerificationResult>;

export const FileVerificationResult = z.object({
  identifier: z.string().describe('The license identifier the file carries'),
  file: z.object({
    issuedHere: z
      .boolean()
      .describe('Byte for byte the sealed file this node issued for the license (any change makes it false)'),
    seal: z
      .object({
        verdict: z.enum(['passed', 'failed', 'indeterminate']),
        reason: z.string().nullable().describe('Why not passed (the seal service’s stable reason code)'),
        signers: z.array(z.string()).describe('Common names of the seals that signed the file, in signing order'),
      })
      .nullable()
      .describe('The seal service’s report on the file’s signatures; null when no seal service answered'),
  }),
  license: VerificationResult.describe('The license as online verification by identifier answers it'),
});
export type FileVerificationResult = z.infer<typeof FileVerificationResult>;

export const LicenseEventView = z.object({
  type: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  actor: z.string(),
  reason: z.string().nullable(),
  at: Instant,
});

export const GrantView = z.object({
  id: z.uuid(),
  identifier: z.string(),
  granteeId: z.string(),
  granteeName: z.string(),
  purpose: z.string(),
  fields: z.array(z.string()),
  expiresAt: Instant,
  createdAt: Instant,
  revokedAt: Instant.nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
});

export const AnnotatedCopy = z.object({
  identifier: z.string(),
  type: z.object({ code: z.string(), name: z.string() }),
  issuer: z.object({ code: z.string(), name: z.string() }),
  holderName: z.string(),
  status: LicenseStatus,
  fields: FieldValues,
  annotation: z.object({
    madeAt: Instant,
    madeBy: z.string().describe('The license service node that made the copy'),
    purpose: z.string(),
    usedBy: z.string(),
    validUntil: Instant.describe('The copy is not to be relied on after this instant'),
  }),
  signed: z.string().describe('The annotated copy as a JWS signed with the issuer key (typ license-copy+jwt)'),
});
export type AnnotatedCopy = z.infer<typeof AnnotatedCopy>;

export const UsageEntryView = z.object({
  seq: z.number().int(),
  identifier: z.string().nullable(),
  action: z.string(),
  actor: z.string(),
  purpose: z.string().nullable(),
  at: Instant,
  hash: z.string(),
});

export const BatchRowOutcome = z.enum(['pending', 'issued', 'duplicate', 'error']);

export const BatchView = z.object({
  id: z.uuid(),
  total: z.number().int(),
  processed: z.number().int(),
  issued: z.number().int(),
  duplicates: z.number().int().describe('Rows whose case had already yielded a license (nothing issued twice)'),
  errors: z.number().int(),
  done: z.boolean(),
  createdAt: Instant,
  completedAt: Instant.nullable(),
  rows: z
    .array(
      z.object({
        index: z.number().int().describe('0-based position in the upload'),
        caseId: z.string().nullable(),
        outcome: BatchRowOutcome,
        identifier: z.string().nullable().describe('The license issued for the row (or already issued for its case)'),
        error: z.object({ code: z.string(), message: z.string() }).nullable(),
      }),
    )
    .describe('Per-row results, in upload order (only with includeRows)'),
});
export type BatchView = z.infer<typeof BatchView>;

export const TrustedNodeView = z.object({
  issuerId: z.string(),
  name: z.string(),
  region: z.string(),
  jwksUrl: z.string(),
  statusListPrefix: z.string(),
  addedBy: z.string(),
  addedAt: Instant,
});

const HttpUrl = z.url({ protocol: /^https?$/ }).max(500);

const ByIdentifier = z.strictObject({ identifier: LicenseIdentifier });
const StatusChange = z.strictObject({ identifier: LicenseIdentifier, reason: Reason });

export const licenseContract = {
  system: systemContract,
  types: {
    list: query({
      input: z.strictObject({ includeRetired: z.boolean().default(false) }),
      output: z.array(LicenseTypeView),
      access: 'public',
      rest: {
        method: 'GET',
        path: '/types',
        summary: 'The catalogue: the newest version of each type',
        tags: tags('types'),
      },
    }),
    get: query({
      input: z.strictObject({ code: LicenseTypeCode, version: z.number().int().positive().optional() }),
      output: LicenseTypeView,
      access: 'public',
      rest: {
        method: 'GET',
        path: '/types/{code}',
        summary: 'One type (newest version unless given)',
        tags: tags('types'),
      },
    }),
    create: mutation({
      input: LicenseTypeDefinition.extend({ code: LicenseTypeCode }),
      output: LicenseTypeView,
      rest: {
        method: 'POST',
        path: '/types',
        summary: 'Create a type (version 1); scope license:admin',
        tags: tags('types'),
      },
    }),
    revise: mutation({
      input: LicenseTypeDefinition.extend({ code: LicenseTypeCode }),
      output: LicenseTypeView,
      rest: {
        method: 'POST',
        path: '/types/{code}/versions',
        summary: 'Add the next version of a type; earlier licenses keep theirs. Scope license:admin',
        tags: tags('types'),
      },
    }),
    retire: mutation({
      input: z.strictObject({ code: LicenseTypeCode, reason: Reason }),
      output: LicenseTypeView,
      rest: {
        method: 'POST',
        path: '/types/{code}/retire',
        summary: 'Retire a type: no new licenses; issued ones stay readable. Scope license:admin',
        tags: tags('types'),
      },
    }),
  },
  issue: mutation({
    input: IssueRequest,
    output: LicenseView,
    rest: {
      method: 'POST',
      path: '/licenses',
      summary: 'Issue a license for a closed case (caseId is the idempotency key). Scope license:issue',
      tags: tags('licenses'),
    },
  }),
  batch: {
    issue: mutation({
      input: z.union([
        z.strictObject({
          rows: z
            .array(z.record(z.string(), z.unknown()))
            .min(1)
            .max(10_000)
            .describe('Issue requests (as license.issue takes them); each row is checked on its own'),
        }),
        z.strictObject({
          csv: z
            .string()
            .min(1)
            .max(20_000_000)
            .describe(
              'CSV (RFC 4180, UTF-8) with a header: caseId, typeCode, holderCodeType, holderCode, holderName, validFrom, validUntil, then one fields.<name> column per field (arrays separated by |)',
            ),
        }),
      ]),
      output: BatchView,
      rest: {
        method: 'POST',
        path: '/batches',
        summary:
          'Upload rows to issue in the background; each row’s caseId is its idempotency key. Scope license:issue',
        tags: tags('licenses'),
      },
    }),
    get: query({
      input: z.strictObject({ batchId: z.uuid(), includeRows: z.boolean().default(true) }),
      output: BatchView,
      rest: {
        method: 'GET',
        path: '/batches/{batchId}',
        summary: 'Progress and per-row results of a batch. Scope license:issue',
        tags: tags('licenses'),
      },
    }),
  },
  get: query({
    input: ByIdentifier,
    output: LicenseView,
    rest: {
      method: 'GET',
      path: '/licenses/{identifier}',
      summary: 'A license, for clerks. Scope license:read',
      tags: tags('licenses'),
    },
  }),
  file: query({
    input: z.strictObject({
      identifier: LicenseIdentifier,
      grantId: z.uuid().optional().describe('Third parties: the use grant that covers every field of the license'),
      purpose: Reason.optional().describe('Third parties: the granted purpose'),
    }),
    output: LicenseFileView,
    rest: {
      method: 'GET',
      path: '/licenses/{identifier}/file',
      summary:
        'The license file (PDF sealed by the issuing authority). Clerks (scope license:read), the holder, or a grantee whose grant covers all fields',
      tags: tags('licenses'),
    },
  }),
  events: query({
    input: ByIdentifier,
    output: z.array(LicenseEventView),
    rest: {
      method: 'GET',
      path: '/licenses/{identifier}/events',
      summary: 'Audit of issue and status changes: who and why. Scope license:read',
      tags: tags('licenses'),
    },
  }),
  revoke: mutation({
    input: StatusChange,
    output: LicenseView,
    rest: {
      method: 'POST',
      path: '/licenses/{identifier}/revoke',
      summary: 'Revoke (final). Scope license:manage',
      tags: tags('status'),
    },
  }),
  suspend: mutation({
    input: StatusChange,
    output: LicenseView,
    rest: {
      method: 'POST',
      path: '/licenses/{identifier}/suspend',
      summary: 'Suspend. Scope license:manage',
      tags: tags('status'),
    },
  }),
  reinstate: mutation({
    input: StatusChange,
    output: LicenseView,
    rest: {
      method: 'POST',
      path: '/licenses/{identifier}/reinstate',
      summary: 'Lift a suspension. Scope license:manage',
      tags: tags('status'),
    },
  }),
  replace: mutation({
    input: z.strictObject({
      identifier: LicenseIdentifier,
      caseId: CaseId,
      reason: Reason,
      fields: FieldValues.optional().describe('Defaults to the old fields'),
      validUntil: Instant.nullable().optional(),
    }),
    output: LicenseView,
    rest: {
      method: 'POST',
      path: '/licenses/{identifier}/replace',
      summary: 'Issue the next version (new identifier version); the old is marked replaced. Scope license:issue',
      tags: tags('status'),
    },
  }),
  verify: mutation({
    input: z.union([
      z.strictObject({ identifier: LicenseIdentifier }),
      z.strictObject({ credential: z.string().min(1).max(20_000) }),
      z.strictObject({ qr: z.string().min(1).max(20_000), nonce: z.string().min(8).max(200).optional() }),
    ]),
    output: VerificationResult,
    access: 'public',
    rest: {
      method: 'POST',
      path: '/verify',
      summary:
        'Verify by identifier, credential or scanned QR token. A failed check is an answer (authentic=false with a failure code), not an error',
      tags: tags('verify'),
    },
  }),
  verifyFile: mutation({
    input: z.strictObject({
      pdf: z.string().min(1).max(1_000_000).describe('The license PDF, base64 (up to about 730 KB)'),
    }),
    output: FileVerificationResult,
    access: 'public',
    rest: {
      method: 'POST',
      path: '/verify/file',
      summary:
        'Verify an uploaded license file: whether it is the sealed file issued here, the seal service’s report on its seal, and the license’s current status',
      tags: tags('verify'),
    },
  }),
  presentations: {
    create: mutation({
      input: z.strictObject({
        identifier: LicenseIdentifier,
        fields: z.array(FieldName).max(100).describe('Fields to disclose; the others stay hidden'),
        nonce: z.string().min(8).max(200).optional().describe('Verifier nonce the token is bound to'),
      }),
      output: z.object({ token: z.string(), expiresAt: Instant, disclosed: z.array(z.string()) }),
      rest: {
        method: 'POST',
        path: '/presentations',
        summary: 'Holder: a short-lived single-use QR token disclosing chosen fields (SD-JWT style)',
        tags: tags('wallet'),
      },
    }),
  },
  wallet: {
    list: query({
      input: z.void(),
      output: z.array(LicenseView),
      rest: {
        method: 'GET',
        path: '/wallet',
        summary: 'Holder: my licenses (or the firm’s, when acting for it as agent)',
        tags: tags('wallet'),
      },
    }),
  },
  grants: {
    create: mutation({
      input: z.strictObject({
        identifier: LicenseIdentifier,
        granteeId: z.string().trim().min(1).max(200).describe('The third party’s client id (as in its access tokens)'),
        granteeName: z.string().trim().min(1).max(200),
        purpose: Reason,
        fields: z.array(FieldName).min(1).max(100),
        expiresAt: Instant,
      }),
      output: GrantView,
      rest: {
        method: 'POST',
        path: '/grants',
        summary: 'Holder: authorise a third party to use a license',
        tags: tags('grants'),
      },
    }),
    list: query({
      input: z.void(),
      output: z.array(GrantView),
      rest: { method: 'GET', path: '/grants', summary: 'Holder: my use grants', tags: tags('grants') },
    }),
    revoke: mutation({
      input: z.strictObject({ grantId: z.uuid() }),
      output: GrantView,
      rest: {
        method: 'POST',
        path: '/grants/{grantId}/revoke',
        summary: 'Holder: revoke a use grant',
        tags: tags('grants'),
      },
    }),
    fetch: mutation({
      input: z.strictObject({ grantId: z.uuid(), purpose: Reason }),
      output: AnnotatedCopy,
      rest: {
        method: 'POST',
        path: '/grants/{grantId}/fetch',
        summary: 'Third party: fetch the annotated copy (加注件) a grant allows',
        tags: tags('grants'),
      },
    }),
  },
  trust: {
    list: query({
      input: z.void(),
      output: z.object({
        nodes: z.array(TrustedNodeView),
        typeMappings: z.array(z.object({ foreignTypeCode: z.string(), localTypeCode: z.string() })),
      }),
      access: 'public',
      rest: {
        method: 'GET',
        path: '/trust',
        summary: 'The trust list: other regions’ nodes whose licenses this node recognises (互认互通)',
        tags: tags('trust'),
      },
    }),
    add: mutation({
      input: z.strictObject({
        issuerId: HttpUrl.describe('The issuer id exactly as in that node’s credentials'),
        name: z.string().trim().min(1).max(200),
        region: z.string().trim().min(1).max(100),
        jwksUrl: HttpUrl,
        statusListPrefix: HttpUrl.describe('Status lists its credentials name must start with this'),
        reason: Reason,
      }),
      output: TrustedNodeView,
      rest: {
        method: 'POST',
        path: '/trust',
        summary: 'Trust another region’s node (audited). Scope license:admin',
        tags: tags('trust'),
      },
    }),
    remove: mutation({
      input: z.strictObject({ issuerId: z.string().min(1).max(500), reason: Reason }),
      output: z.object({ removed: z.boolean() }),
      rest: {
        method: 'POST',
        path: '/trust/remove',
        summary: 'Stop trusting a node (audited). Scope license:admin',
        tags: tags('trust'),
      },
    }),
    mapType: mutation({
      input: z.strictObject({ foreignTypeCode: LicenseTypeCode, localTypeCode: LicenseTypeCode, reason: Reason }),
      output: z.object({ foreignTypeCode: z.string(), localTypeCode: z.string() }),
      rest: {
        method: 'POST',
        path: '/trust/type-mappings',
        summary: 'Read a foreign license type as an equivalent local one (audited). Scope license:admin',
        tags: tags('trust'),
      },
    }),
  },
  usage: {
    list: query({
      input: z.void(),
      output: z.object({ entries: z.array(UsageEntryView), chainIntact: z.boolean() }),
      rest: {
        method: 'GET',
        path: '/usage',
        summary: 'Holder: who verified or fetched my licenses, and why',
        tags: tags('wallet'),
      },
    }),
  },
};

export type LicenseRouter = ContractRouter<typeof licenseContract>;
