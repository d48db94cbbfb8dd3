// PAdES signing of a PDF: a new revision with the visible seal, a CAdES detached CMS over its byte
// ranges, optionally with an RFC 3161 signature timestamp (B-T).
import { createHash } from 'node:crypto';
import { parseDer } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import type { CertificateFacts } from '../ca/certificate-facts.ts';
import { signCms, type Attribute } from '../cms/signed-data.ts';
import type { Signer } from '../keys/signer.ts';
import { openPdf } from './open-pdf.ts';
import { fillByteRange, fillContents, prepareSignatureField, type SignatureFieldInput } from './signature-field.ts';

export interface PadesSigner {
  signer: Signer;
  certificate: CertificateFacts;
  chain: CertificateFacts[];
  /** Returns a TimeStampToken over SHA-256(signature value); absent for B-B. */
  timestamp?: (imprint: Buffer) => Promise<Buffer>;
}

export interface PadesResult {
  pdf: Buffer;
  byteRange: [number, number, number, number];
  cms: Buffer;
}

export async function signPdf(input: Uint8Array, field: SignatureFieldInput, who: PadesSigner): Promise<PadesResult> {
  const pdf = await openPdf(input);
  const prepared = prepareSignatureField(pdf, field);
  const { byteRange, covered } = fillByteRange(prepared);
  const digest = createHash('sha256');
  for (const part of covered) digest.update(part);
  const { der } = await signCms({
    contentDigest: digest.digest(),
    signer: who.signer,
    certificate: who.certificate,
    chain: who.chain,
    unsignedAttributes: who.timestamp
      ? async (signature) => [await timestampAttribute(who.timestamp!, signature)]
      : undefined,
  });
  fillContents(prepared, der);
  return { pdf: prepared.bytes, byteRange, cms: der };
}

async function timestampAttribute(
  timestamp: (imprint: Buffer) => Promise<Buffer>,
  signature: Buffer,
): Promise<Attribute> {
  const token = await timestamp(createHash('sha256').update(signature).digest());
  return { type: OID.signatureTimeStampToken, values: [parseDer(token)] };
}
