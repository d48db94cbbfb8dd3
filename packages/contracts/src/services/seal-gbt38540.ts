// GB/T 38540 electronic seal signatures (SM2/SM3) of the seal service: sign bytes with an SM2 seal,
// verify an SES_Signature over bytes. Part of the seal contract under `gbt38540`.
import { z } from 'zod';
import { mutation, query } from '../procedure.ts';

const Base64 = z.string().min(1).describe('Base64 (standard alphabet, padding optional)');
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
  signature: z.string().describe('SES_Signature (GB/T 38540 v4), DER, base64'),
  signedAt: Instant.describe('timeInfo written into the signature (whole seconds)'),
  dataHash: z.string().describe('SM3 of the data, lowercase hex'),
  seal: Gbt38540SealView,
});

export const Gbt38540Check = z.object({
  name: z.enum([
    'format',
    'signatureValue',
    'signerInSeal',
    'sealSignature',
    'sealValidAtSigningTime',
    'sealMakerCertificate',
    'signerCertificate',
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

export const gbt38540Contract = {
  sign: mutation({
    input: z.strictObject({
      data: Base64.describe('The bytes to sign, base64'),
      propertyInfo: z
        .string()
        .regex(/^[\x20-\x7e]{1,512}$/)
        .optional()
        .describe('What the data is (document id, file name), printable ASCII; "data" by default'),
    }),
    output: Gbt38540SignResult,
    rest: {
      method: 'POST',
      path: '/gbt38540/sign',
      summary:
        'Sign bytes with the service’s development SM2 seal: a GB/T 38540 SES_Signature (SM3withSM2). Scope seal:sign',
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
    input: z.void(),
    output: Gbt38540SealView.extend({
      seal: z.string().describe('SESeal DER, base64'),
      rootCertificate: z.string().describe('The SM2 root certificate (trust anchor), PEM'),
    }),
    access: 'public',
    rest: {
      method: 'GET',
      path: '/gbt38540/seal',
      summary: 'The SM2 seal the service signs with and its SM2 root certificate',
      tags,
    },
  }),
};
