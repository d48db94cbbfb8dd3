// The e-seal service: certificate authority, seals, signing and verification.
import { z } from 'zod';
import { query } from '../procedure.ts';
import { systemContract } from '../system.ts';
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

export const sealContract = {
  system: systemContract,
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
};

export type SealRouter = ContractRouter<typeof sealContract>;
