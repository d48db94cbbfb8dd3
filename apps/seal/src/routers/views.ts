// Database records as the contract's views (ISO instants, certificates as PEM).
import type { AuthorizationView, SealEventView, SealView, UsageRequestView } from '@platform/contracts';
import { toPem } from '../domain/ca/pem.ts';
import type { AuthorizationRecord, UsageRequestRecord } from '../repositories/authorization-repository.ts';
import type { SealEventRecord, SealRecord } from '../repositories/seal-repository.ts';

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

export function sealView(seal: SealRecord): SealView {
  return {
    id: seal.id,
    orgCode: seal.orgCode,
    orgName: seal.orgName,
    name: seal.name,
    kind: seal.kind,
    status: seal.status,
    keyAlgorithm: seal.keyAlgorithm,
    widthMm: seal.widthMm,
    heightMm: seal.heightMm,
    validFrom: isoOrNull(seal.validFrom),
    validUntil: iso(seal.validUntil),
    certificate: seal.certificate
      ? {
          serial: seal.certificate.serial,
          notBefore: iso(seal.certificate.notBefore),
          notAfter: iso(seal.certificate.notAfter),
          revokedAt: isoOrNull(seal.certificate.revokedAt),
          pem: toPem(seal.certificate.der),
        }
      : null,
    filingNumber: seal.filingNumber,
    appliedBy: seal.appliedBy,
    approvedBy: seal.approvedBy,
    createdAt: iso(seal.createdAt),
    updatedAt: iso(seal.updatedAt),
  };
}

export const sealEventView = (event: SealEventRecord): SealEventView => ({ ...event, at: iso(event.at) });

export const authorizationView = (a: AuthorizationRecord): AuthorizationView => ({
  id: a.id,
  sealId: a.sealId,
  subjects: a.subjects,
  documentTypes: a.documentTypes,
  validFrom: iso(a.validFrom),
  validUntil: iso(a.validUntil),
  maxUses: a.maxUses,
  usedCount: a.usedCount,
  requiresApproval: a.requiresApproval,
  approvers: a.approvers,
  grantedBy: a.grantedBy,
  revokedAt: isoOrNull(a.revokedAt),
  createdAt: iso(a.createdAt),
});

export const usageRequestView = (r: UsageRequestRecord): UsageRequestView => ({
  id: r.id,
  authorizationId: r.authorizationId,
  sealId: r.sealId,
  requestedBy: r.requestedBy,
  documentType: r.documentType,
  purpose: r.purpose,
  status: r.status,
  decidedBy: r.decidedBy,
  decidedAt: isoOrNull(r.decidedAt),
  decisionReason: r.decisionReason,
  usedAt: isoOrNull(r.usedAt),
  createdAt: iso(r.createdAt),
});
