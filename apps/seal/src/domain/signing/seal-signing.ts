// The signing procedures: a PDF with a visible seal (PAdES B-T, B-LT or B-LTA), detached CMS over
// any bytes, batches, and GB/T 38540 signatures with SM2 seals. Each call is idempotent per caller and key; a signature counts one use of
// the caller's authorisation and is stored as a signing operation, all in one transaction after
// signing, so a refused or failed call writes nothing.
//
// Replays return identical bytes without keeping whole documents: a sealed PDF is the caller's PDF
// unchanged plus an appended revision, and the request hash covers the PDF, so the operation keeps
// only the appended revision (and the CMS for sign.cms) and a replay re-joins them, checked against
// the stored SHA-256 of the result.
import {
  AppError,
  type Gbt38540SignRequest,
  type Gbt38540SignResult,
  type PdfSignatureFacts,
  type SignBatchResult,
  type SignCmsRequest,
  type SignCmsResult,
  type SignPdfRequest,
  type SignPdfResult,
} from '@platform/contracts';
import { randomUUID } from 'node:crypto';
import { parseDer, time } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import type { CertificateAuthority } from '../ca/authority.ts';
import { certificateFacts } from '../ca/certificate-facts.ts';
import { signCms, type Attribute } from '../cms/signed-data.ts';
import { addDocumentTimestamp } from '../pdf/document-timestamp.ts';
import { signPdf, type PadesSigner } from '../pdf/pades-sign.ts';
import { openPdf } from '../pdf/open-pdf.ts';
import { MM_TO_PT } from '../pdf/signature-field.ts';
import { locateAnchor } from '../pdf/text-anchor.ts';
import type { TimestampAuthority } from '../tsa/timestamp-authority.ts';
import type { AuthorizationRecord, AuthorizationRepository } from '../../repositories/authorization-repository.ts';
import type { SealRecord } from '../../repositories/seal-repository.ts';
import {
  DuplicateOperationError,
  type NewOperation,
  type OperationRecord,
  type SigningOperationRepository,
} from '../../repositories/signing-operation-repository.ts';
import { chooseAuthorization } from '../authorization/use-authorization.ts';
import type { SealRasterCache } from '../seals/seal-appearance.ts';
import type { SealLifecycle } from '../seals/seal-lifecycle.ts';
import { gbt38540SealView } from '../sm2/gbt38540-view.ts';
import { Gbt38540Error, signWithSeal } from '../sm2/gbt38540.ts';
import { readSignature } from '../sm2/gbt38540-verify.ts';
import { decodeDocument } from './document-input.ts';
import { requestHash, sha256Hex } from './request-hash.ts';

/** Adds long-term validation data (B-LT) to a B-T signed PDF as a further incremental update. */
export type LongTermExtender = (signedPdf: Buffer) => Promise<Buffer>;

export interface SigningDeps {
  lifecycle: SealLifecycle;
  authorizations: AuthorizationRepository;
  operations: SigningOperationRepository;
  authority: () => Promise<CertificateAuthority>;
  timestamps: () => Promise<TimestampAuthority>;
  rasters: SealRasterCache;
  maxDocumentBytes: number;
  longTerm?: LongTermExtender;
  now?: () => Date;
}

interface Use {
  seal: SealRecord;
  authorization: AuthorizationRecord;
  usageRequestId: string | null;
}

export class SealSigning {
  private readonly now: () => Date;

  constructor(private readonly deps: SigningDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async signPdf(subject: string, request: SignPdfRequest): Promise<SignPdfResult> {
    if (request.level !== 'B-T' && !this.deps.longTerm) {
      throw new AppError(
        'SIGNATURE_LEVEL_UNAVAILABLE',
        `${request.level} signatures are not available on this deployment`,
      );
    }
    const pdf = decodeDocument(request.pdf, this.deps.maxDocumentBytes, 'PDF');
    const hash = requestHash({
      procedure: 'pdf',
      sealId: request.sealId,
      documentType: request.documentType,
      documentSha256: sha256Hex(pdf),
      placement: request.placement,
      anchor: request.anchor,
      usageRequestId: request.usageRequestId,
      level: request.level,
      reason: request.reason,
      location: request.location,
    });
    const earlier = await this.deps.operations.find(subject, request.idempotencyKey);
    if (earlier) return replayPdf(earlier, hash, pdf);

    const use = await this.authorise(subject, request);
    const signingTime = this.now();
    const opened = await openPdf(pdf);
    const sizePt = { width: use.seal.widthMm * MM_TO_PT, height: use.seal.heightMm * MM_TO_PT };
    const at = request.placement ?? anchoredPlacement(opened, request.anchor!, sizePt);
    const signer = await this.padesSigner(use.seal);
    const signed = await signPdf(
      pdf,
      {
        placement: { ...at, widthMm: use.seal.widthMm, heightMm: use.seal.heightMm },
        image: this.deps.rasters.rasterOf(use.seal.id, use.seal.imageSvg!, use.seal.widthMm),
        signingTime,
        name: use.seal.name,
        ...(request.reason ? { reason: request.reason } : {}),
        ...(request.location ? { location: request.location } : {}),
      },
      signer,
    );
    const output = await this.raiseLevel(signed.pdf, request.level);
    // The caller's bytes must come back unchanged in front (incremental update): what replays rely on.
    if (!output.subarray(0, pdf.length).equals(pdf)) throw new Error('signed PDF does not extend the input');
    const outputSha256 = sha256Hex(output);

    const facts = (operationId: string): PdfSignatureFacts => ({
      operationId,
      sealId: use.seal.id,
      documentType: request.documentType,
      level: request.level,
      signingTime: signingTime.toISOString(),
      certificateSerial: use.seal.certificate!.serial,
      page: at.page,
      rect: { x: at.x, y: at.y, width: round3(sizePt.width), height: round3(sizePt.height) },
      byteRange: signed.byteRange,
      sha256: outputSha256,
    });
    const operation = await this.commit(subject, request, use, hash, 'pdf', {
      output: output.subarray(pdf.length),
      outputSha256,
      facts,
    });
    if (!operation.created) return replayPdf(operation.record, hash, pdf);
    return { pdf: output.toString('base64'), signature: operation.record.result as PdfSignatureFacts };
  }

  async signCms(subject: string, request: SignCmsRequest): Promise<SignCmsResult> {
    const content = decodeDocument(request.content, this.deps.maxDocumentBytes, 'content');
    const contentSha256 = sha256Hex(content);
    const hash = requestHash({
      procedure: 'cms',
      sealId: request.sealId,
      documentType: request.documentType,
      documentSha256: contentSha256,
      usageRequestId: request.usageRequestId,
    });
    const earlier = await this.deps.operations.find(subject, request.idempotencyKey);
    if (earlier) return replayCms(earlier, hash);

    const use = await this.authorise(subject, request);
    const signingTime = this.now();
    const signer = await this.padesSigner(use.seal);
    const signingTimeAttribute: Attribute = { type: OID.signingTime, values: [time(signingTime)] };
    const { der } = await signCms({
      contentDigest: Buffer.from(contentSha256, 'hex'),
      signer: signer.signer,
      certificate: signer.certificate,
      chain: signer.chain,
      // Plain CAdES (unlike PAdES) carries the claimed signing time as a signed attribute.
      extraSignedAttributes: [signingTimeAttribute],
      unsignedAttributes: async (signature) => [await timestampAttribute(signer, signature)],
    });
    const operation = await this.commit(subject, request, use, hash, 'cms', {
      output: der,
      outputSha256: sha256Hex(der),
      facts: (operationId) => ({
        operationId,
        sealId: use.seal.id,
        documentType: request.documentType,
        level: 'CAdES-B-T',
        signingTime: signingTime.toISOString(),
        certificateSerial: use.seal.certificate!.serial,
        contentSha256,
      }),
    });
    return replayCms(operation.record, hash);
  }

  /**
   * A GB/T 38540 SES_Signature over bytes with an SM2 seal: the same rules as the other procedures
   * (active seal, the caller's authorisation for the document type, one use counted, idempotent per
   * caller and key, nothing written when refused); the operation keeps the signature itself.
   */
  async signGbt38540(subject: string, request: Gbt38540SignRequest): Promise<Gbt38540SignResult> {
    const data = decodeDocument(request.data, this.deps.maxDocumentBytes, 'data');
    const hash = requestHash({
      procedure: 'gbt38540',
      sealId: request.sealId,
      documentType: request.documentType,
      documentSha256: sha256Hex(data),
      usageRequestId: request.usageRequestId,
      propertyInfo: request.propertyInfo,
    });
    const earlier = await this.deps.operations.find(subject, request.idempotencyKey);
    if (earlier) return replayGbt38540(earlier, hash);

    const use = await this.authorise(subject, request, 'sm2');
    const authority = await this.deps.authority();
    let signature: Buffer;
    try {
      signature = await signWithSeal(use.seal.gbt38540Seal!, authority.sm2.signerOf(use.seal.certificate!), data, {
        at: this.now(),
        ...(request.propertyInfo ? { propertyInfo: request.propertyInfo } : {}),
      });
    } catch (error) {
      if (error instanceof Gbt38540Error) throw new AppError('GBT38540_SEAL_NOT_USABLE', error.message);
      throw error;
    }
    const signed = readSignature(signature);
    const operation = await this.commit(subject, request, use, hash, 'gbt38540', {
      output: signature,
      outputSha256: sha256Hex(signature),
      facts: (operationId): Omit<Gbt38540SignResult, 'signature'> => ({
        operationId,
        sealId: use.seal.id,
        documentType: request.documentType,
        certificateSerial: use.seal.certificate!.serial,
        signedAt: signed.tbs.timeInfo.toISOString(),
        dataHash: signed.tbs.dataHash.toString('hex'),
        seal: gbt38540SealView(signed.tbs.seal),
      }),
    });
    return replayGbt38540(operation.record, hash);
  }

  /** Each document on its own: one refused or broken document does not affect the others. */
  async signBatch(subject: string, documents: SignPdfRequest[]): Promise<SignBatchResult> {
    const results: SignBatchResult['results'] = [];
    for (const [index, document] of documents.entries()) {
      try {
        results.push({ index, ok: true, result: await this.signPdf(subject, document) });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.push({ index, ok: false, error: { code: error.code, message: error.message } });
      }
    }
    return { results };
  }

  /** The seal must be active with a valid certificate, and the caller authorised for this use. */
  private async authorise(
    subject: string,
    request: { sealId: string; documentType: string; usageRequestId?: string | undefined },
    keys: 'x509' | 'sm2' = 'x509',
  ): Promise<Use> {
    const seal = await this.deps.lifecycle.get(request.sealId);
    if ((seal.keyAlgorithm === 'sm2') !== (keys === 'sm2')) {
      throw new AppError(
        'SEAL_ALGORITHM_MISMATCH',
        keys === 'sm2'
          ? 'This is not an SM2 seal: GB/T 38540 signatures need one'
          : 'This is an SM2 seal: it signs GB/T 38540 signatures (gbt38540.sign), not PDFs or CMS',
      );
    }
    if (seal.status !== 'active') throw new AppError('SEAL_NOT_ACTIVE', `The seal is ${seal.status}`);
    if (!seal.certificate || !seal.imageSvg) throw new AppError('SEAL_NOT_ACTIVE', 'The seal has not been made');
    if (seal.certificate.revokedAt) throw new AppError('SEAL_CERTIFICATE_REVOKED', 'The seal’s certificate is revoked');
    const now = this.now();
    let viaAuthorizationId: string | undefined;
    if (request.usageRequestId) {
      const usage = await this.deps.authorizations.findUsageRequest(request.usageRequestId);
      if (!usage) throw new AppError('USAGE_REQUEST_NOT_FOUND', 'No such usage request');
      if (usage.sealId !== seal.id || usage.documentType !== request.documentType || usage.requestedBy !== subject) {
        throw new AppError('USAGE_REQUEST_MISMATCH', 'The usage request is for another seal, document type or person');
      }
      if (usage.status === 'used')
        throw new AppError('USAGE_REQUEST_ALREADY_USED', 'The usage request was already used');
      if (usage.status !== 'approved') {
        throw new AppError('USAGE_REQUEST_NOT_APPROVED', `The usage request is ${usage.status}, not approved`);
      }
      viaAuthorizationId = usage.authorizationId;
    }
    const candidates = await this.deps.authorizations.forSubject(seal.id, subject);
    const authorization = chooseAuthorization(candidates, {
      subject,
      documentType: request.documentType,
      now,
      ...(viaAuthorizationId ? { viaAuthorizationId } : {}),
    });
    return { seal, authorization, usageRequestId: request.usageRequestId ?? null };
  }

  /**
   * B-LT appends the DSS revision; B-LTA then a document timestamp from the same TSA, which covers
   * that DSS — and the DSS already holds the TSA's certificate, its chain, the CRLs and a fresh
   * OCSP response for it, since that TSA also made the signature timestamp.
   */
  private async raiseLevel(signedPdf: Buffer, level: SignPdfRequest['level']): Promise<Buffer> {
    if (level === 'B-T') return signedPdf;
    const longTerm = await this.deps.longTerm!(signedPdf);
    if (level === 'B-LT') return longTerm;
    const tsa = await this.deps.timestamps();
    const stamped = await addDocumentTimestamp(
      longTerm,
      async (imprint) => (await tsa.token({ hashAlgorithm: OID.sha256, hashedMessage: imprint, certReq: true })).der,
    );
    return stamped.pdf;
  }

  private async padesSigner(seal: SealRecord): Promise<PadesSigner> {
    const authority = await this.deps.authority();
    const tsa = await this.deps.timestamps();
    return {
      signer: authority.signerOf(seal.certificate!),
      certificate: certificateFacts(seal.certificate!.der),
      chain: (await authority.chain()).map((m) => m.facts),
      timestamp: async (imprint) =>
        (await tsa.token({ hashAlgorithm: OID.sha256, hashedMessage: imprint, certReq: true })).der,
    };
  }

  private async commit<F extends object>(
    subject: string,
    request: { sealId: string; documentType: string; idempotencyKey: string },
    use: Use,
    hash: string,
    procedure: NewOperation['procedure'],
    outcome: { output: Buffer; outputSha256: string; facts: (operationId: string) => F },
  ): Promise<{ created: boolean; record: OperationRecord }> {
    const operationId = randomUUID();
    const now = this.now();
    try {
      const record = await this.deps.operations.commit(
        {
          id: operationId,
          subject,
          idempotencyKey: request.idempotencyKey,
          requestHash: hash,
          procedure,
          sealId: use.seal.id,
          documentType: request.documentType,
          authorizationId: use.authorization.id,
          usageRequestId: use.usageRequestId,
          result: outcome.facts(operationId),
          output: outcome.output,
          outputSha256: outcome.outputSha256,
        },
        now,
        async (authorizationId) =>
          refusalFor(await this.deps.authorizations.find(authorizationId), subject, request, now),
      );
      return { created: true, record };
    } catch (error) {
      if (!(error instanceof DuplicateOperationError)) throw error;
      // A concurrent call with the same key won: answer as its replay (or refuse a different request).
      const winner = await this.deps.operations.find(subject, request.idempotencyKey);
      if (!winner) throw error;
      return { created: false, record: winner };
    }
  }
}

function refusalFor(
  authorization: AuthorizationRecord | undefined,
  subject: string,
  request: { documentType: string },
  now: Date,
): AppError {
  try {
    if (authorization) {
      chooseAuthorization([{ ...authorization, requiresApproval: false }], {
        subject,
        documentType: request.documentType,
        now,
      });
    }
  } catch (error) {
    if (error instanceof AppError) return error;
  }
  return new AppError('AUTHORIZATION_EXHAUSTED', 'Your authorisation for this seal has no uses left');
}

function sameRequest(record: OperationRecord, hash: string): void {
  if (record.requestHash !== hash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used with a different request');
  }
}

function replayPdf(record: OperationRecord, hash: string, pdf: Buffer): SignPdfResult {
  sameRequest(record, hash);
  sameProcedure(record, 'pdf');
  const output = Buffer.concat([pdf, Buffer.from(record.output)]);
  if (sha256Hex(output) !== record.outputSha256) throw new Error('replayed PDF differs from the one signed');
  return { pdf: output.toString('base64'), signature: record.result as PdfSignatureFacts };
}

function sameProcedure(record: OperationRecord, procedure: NewOperation['procedure']): void {
  if (record.procedure !== procedure)
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      `This idempotency key was used with another procedure (${record.procedure})`,
    );
}

function replayGbt38540(record: OperationRecord, hash: string): Gbt38540SignResult {
  sameRequest(record, hash);
  sameProcedure(record, 'gbt38540');
  const facts = record.result as Omit<Gbt38540SignResult, 'signature'>;
  return { ...facts, signature: Buffer.from(record.output).toString('base64') };
}

function replayCms(record: OperationRecord, hash: string): SignCmsResult {
  sameRequest(record, hash);
  sameProcedure(record, 'cms');
  return { cms: Buffer.from(record.output).toString('base64'), signature: record.result as SignCmsResult['signature'] };
}

async function timestampAttribute(signer: PadesSigner, signature: Buffer): Promise<Attribute> {
  const token = await signer.timestamp!(Buffer.from(sha256Hex(signature), 'hex'));
  return { type: OID.signatureTimeStampToken, values: [parseDer(token)] };
}

/** The seal centred on the anchor text, kept inside the page. */
function anchoredPlacement(
  opened: Awaited<ReturnType<typeof openPdf>>,
  anchor: { text: string; occurrence: number },
  size: { width: number; height: number },
): { page: number; x: number; y: number } {
  const found = locateAnchor(opened, anchor.text, anchor.occurrence);
  const box = opened.doc.getPage(found.page - 1).getMediaBox();
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), Math.max(max, 0));
  // Placements are relative to the media box's lower-left corner; text positions are absolute.
  return {
    page: found.page,
    x: round3(clamp(found.x - box.x + found.width / 2 - size.width / 2, box.width - size.width)),
    y: round3(clamp(found.y - box.y + found.height / 2 - size.height / 2, box.height - size.height)),
  };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
