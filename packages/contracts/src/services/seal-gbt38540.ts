// GB/T 38540 electronic seal signatures (SM2/SM3) of the seal service: sign bytes with an SM2 seal,
// verify an SES_Signature over bytes, read an SM2 seal's SESeal. Part of the seal contract under `gbt38540`.
import { z } from 'zod';
import { mutation, query } from '../procedure.ts';
import { Base64, IdempotencyKey } from './seal-fields.ts';

const Instant = z.iso.datetime().describe('UTC instant, ISO 8601');

export const Gbt38540SealView = z.object({
  esId: z.string().describe('The seal identifier (esID)'),
  name: z.string(),
  type: z.number().int().describe('1 organisation seal, 2 personal seal'),
  vendor: z.string(),
  validStart: Instant,
  validEnd: Instant,
});

export const Gbt38540SignResult = z.object({
  operationId: z.uuid().describe('The signing operation (audit, replays)'),
  sealId: z.uuid(),
  documentType: z.string(),
  certificateSerial: z.string().describe('The signer (seal holder) certificate, hex'),
  signature: z.string().describe('SES_Signature (GB/T 38540 v4), DER, base64'),
  signedAt: Instant.describe('timeInfo written into the signature (whole seconds)'),
  dataHash: z.string().describe('SM3 of the data, lowercase hex'),
  seal: Gbt38540SealView,
});
export type Gbt38540SignResult = z.infer<typeof Gbt38540SignResult>;

export const Gbt38540Check = z.object({
  name: z.enum([
    'format',
    'signatureValue',
    'signerInSeal',
    'sealSignature',
    'sealValidAtSigningTime',
    'sealMakerCertificate',
    'signerCertificate',
    'signerRevocation',
    'dataHash',
  ]),
  ok: z.boolean().nullable().describe('null: could not be decided (e.g. the issuer is not a trusted SM2 root)'),
  detail: z.string(),
});

export const Gbt38540Report = z.object({
  verdict: z.enum(['passed', 'failed', 'indeterminate']),
  reasons: z.array(z.string()).describe('The checks that did not pass, as "name: detail"'),
  checks: z.array(Gbt38540Check),
  signature: z
    .object({
      signedAt: Instant.describe('timeInfo as claimed by the signer (no timestamp token)'),
      propertyInfo: z.string(),
      seal: Gbt38540SealView,
      signerSubject: z.string(),
      makerSubject: z.string(),
    })
    .nullable(),
});
export type Gbt38540Report = z.infer<typeof Gbt38540Report>;

const tags = ['gbt38540'];

export const Gbt38540SignRequest = z.strictObject({
  sealId: z.uuid().describe('An active SM2 seal the caller is authorised to use'),
  documentType: z.string().trim().min(1).max(100).describe('What is signed; the authorisation must cover it'),
  idempotencyKey: IdempotencyKey,
  usageRequestId: z.uuid().optional().describe('The approved usage request, when the authorisation requires one'),
  data: Base64.describe('The bytes to sign, base64'),
  propertyInfo: z
    .string()
    .regex(/^[\x20-\x7e]{1,512}$/)
    .optional()
    .describe('What the data is (document id, file name), printable ASCII; "data" by default'),
});
export type Gbt38540SignRequest = z.infer<typeof Gbt38540SignRequest>;

export const gbt38540Contract = {
  sign: mutation({
    input: Gbt38540SignRequest,
    output: Gbt38540SignResult,
    rest: {
      method: 'POST',
      path: '/gbt38540/sign',
      summary:
        'Sign bytes with an SM2 seal: a GB/T 38540 SES_Signature (SM3withSM2). Idempotent per caller and key; counts one use of the caller’s authorisation. Scope seal:sign',
      tags,
    },
  }),
  verify: mutation({
    input: z.strictObject({
      signature: Base64.describe('SES_Signature DER, base64'),
      data: Base64.describe('The signed bytes, base64'),
    }),
    output: Gbt38540Report,
    access: 'public',
    rest: {
      method: 'POST',
      path: '/gbt38540/verify',
      summary:
        'Verify a GB/T 38540 signature over bytes: signature value, signer in the seal, maker signature, seal validity at signing time, SM2 chains, data hash',
      tags,
    },
  }),
  seal: query({
    input: z.strictObject({ sealId: z.uuid() }),
    output: Gbt38540SealView.extend({
      seal: z.string().describe('SESeal DER, base64'),
      rootCertificate: z.string().describe('The SM2 root certificate (trust anchor), PEM'),
    }),
    access: 'public',
    rest: {
      method: 'GET',
      path: '/gbt38540/seals/{sealId}',
      summary: 'An SM2 seal’s GB/T 38540 SESeal and the SM2 root certificate its chains end in',
      tags,
    },
  }),
};
