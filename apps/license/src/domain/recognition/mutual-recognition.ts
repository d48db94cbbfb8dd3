// 互认互通: the trust list of other regions' license nodes (changed by administrators only, every
// change audited), type-code mappings between regions, and verification of a credential issued by
// a trusted foreign node: its JWKS and the status lists its credential names are fetched over HTTP
// (briefly cached), then the credential is checked with the same offline verifier counters use.
import type { FieldValue, Principal, VerificationResult } from '@platform/contracts';
import { AppError } from '@platform/contracts';
import {
  StatusListCache,
  StatusListError,
  TrustStore,
  isRecord,
  parseJws,
  verifyLicenseCredential,
  type PublicJwk,
} from '@platform/license-verifier';
import type { Clock } from '../../clock.ts';
import type { TrustRepository, TrustedNodeRow } from '../../repositories/trust.ts';
import type { Actor } from '../licenses/issuing.ts';
import { sensitiveFields } from '../types/field-schema.ts';
import { typeDefinitionOf, type LicenseTypes } from '../types/license-types.ts';
import { fieldRightsOf, maskName, verificationFailure } from '../verification/verification.ts';

/** Fetches a document over HTTP; null when it cannot be had (network, status, timeout). */
export type FetchText = (url: string) => Promise<string | null>;

export const fetchText: FetchText = async (url) => {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: 'error' });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
};

const JWKS_TTL_MS = 300_000;
const STATUS_LIST_TTL_MS = 60_000;

export interface TrustedNodeInput {
  issuerId: string;
  name: string;
  region: string;
  jwksUrl: string;
  statusListPrefix: string;
  reason: string;
}

const viewOf = (node: TrustedNodeRow) => ({
  issuerId: node.issuerId,
  name: node.name,
  region: node.region,
  jwksUrl: node.jwksUrl,
  statusListPrefix: node.statusListPrefix,
  addedBy: node.addedBy,
  addedAt: node.addedAt.toISOString(),
});

export class MutualRecognition {
  private readonly cache = new Map<string, { text: string; until: number }>();

  constructor(
    private readonly deps: {
      trust: TrustRepository;
      types: LicenseTypes;
      clock: Clock;
      fetchText: FetchText;
      /** Issuer ids of this node start with it: those are never looked up in the trust list. */
      localIssuerPrefix: string;
    },
  ) {}

  async list() {
    const [nodes, mappings] = await Promise.all([this.deps.trust.active(), this.deps.trust.mappings()]);
    return {
      nodes: nodes.map(viewOf),
      typeMappings: mappings.map((m) => ({ foreignTypeCode: m.foreignTypeCode, localTypeCode: m.localTypeCode })),
    };
  }

  async add(input: TrustedNodeInput, actor: Actor) {
    if (input.issuerId.startsWith(this.deps.localIssuerPrefix))
      throw new AppError('VALIDATION_FAILED', 'This node’s own issuers are trusted already');
    const at = this.deps.clock.now();
    const { reason, ...node } = input;
    const row = { ...node, addedBy: actor.subject, addedAt: at };
    const added = await this.deps.trust.add(row, {
      action: 'trust.add',
      target: input.issuerId,
      actor: actor.subject,
      reason,
      detail: node,
      at,
    });
    if (!added) throw new AppError('TRUSTED_NODE_EXISTS', `${input.issuerId} is already on the trust list`);
    return viewOf({ ...row, removedAt: null });
  }

  async remove(issuerId: string, reason: string, actor: Actor) {
    const removed = await this.deps.trust.remove(issuerId, {
      action: 'trust.remove',
      target: issuerId,
      actor: actor.subject,
      reason,
      detail: {},
      at: this.deps.clock.now(),
    });
    // Cached keys and lists of that node go with it.
    for (const key of this.cache.keys()) if (key.startsWith(`${issuerId}|`)) this.cache.delete(key);
    return { removed };
  }

  async mapType(foreignTypeCode: string, localTypeCode: string, reason: string, actor: Actor) {
    await this.deps.types.get(localTypeCode);
    const at = this.deps.clock.now();
    await this.deps.trust.map(
      { foreignTypeCode, localTypeCode, addedBy: actor.subject, addedAt: at },
      { action: 'type.map', target: foreignTypeCode, actor: actor.subject, reason, detail: { localTypeCode }, at },
    );
    return { foreignTypeCode, localTypeCode };
  }

  /**
   * Verifies a credential of a trusted foreign node; null when the credential does not name one
   * (a local credential, or an untrusted issuer the caller reports as unknown).
   */
  async verify(jwt: string, principal: Principal | undefined): Promise<VerificationResult | null> {
    const payload = parseJws(jwt.trim())?.payload;
    const issuerId = payload && isRecord(payload.issuer) ? payload.issuer.id : undefined;
    if (typeof issuerId !== 'string' || issuerId.startsWith(this.deps.localIssuerPrefix)) return null;
    const node = await this.deps.trust.activeNode(issuerId);
    if (!node) return null;

    const jwksText = await this.fetchCached(node, node.jwksUrl, JWKS_TTL_MS);
    const jwks = jwksText === null ? undefined : parseJwks(jwksText);
    if (!jwks)
      return verificationFailure(
        'CREDENTIAL_ISSUER_UNKNOWN',
        `The keys of ${node.name} (${node.region}) cannot be fetched`,
      );
    const trust = new TrustStore([{ id: node.issuerId, name: node.name, jwks }]);
    const statusLists = new StatusListCache(trust);
    const entries = Array.isArray(payload?.credentialStatus) ? (payload.credentialStatus as unknown[]) : [];
    for (const entry of entries) {
      const url = isRecord(entry) ? entry.statusListCredential : undefined;
      if (typeof url !== 'string') continue;
      // A credential may only point at its own node's lists, never at a URL of its choosing.
      if (!url.startsWith(node.statusListPrefix))
        return verificationFailure('STATUS_LIST_INVALID', 'The credential names a status list outside its node');
      const list = await this.fetchCached(node, url, STATUS_LIST_TTL_MS);
      if (list === null) continue; // reported as STATUS_LIST_UNAVAILABLE by the verifier
      try {
        statusLists.add(list);
      } catch (error) {
        if (!(error instanceof StatusListError)) throw error;
        return verificationFailure('STATUS_LIST_INVALID', `The ${node.region} status list is not acceptable`);
      }
    }
    const verdict = verifyLicenseCredential(jwt, { trust, statusLists, now: this.deps.clock.now() });
    if (!verdict.authentic || !verdict.credential)
      return verificationFailure(
        verdict.failure?.code ?? 'CREDENTIAL_MALFORMED',
        verdict.failure?.message ?? 'Not authentic',
      );
    const credential = verdict.credential;
    const license = credential.credentialSubject.license;
    const mapping = await this.deps.trust.mapping(license.typeCode);
    const localType = mapping ? await this.deps.types.get(mapping.localTypeCode).catch(() => null) : null;
    const rights = fieldRightsOf(principal);
    let fields: Record<string, FieldValue> = {};
    if (rights === 'all') fields = license.fields;
    // Which fields are sensitive is known only through a mapped local type; without one, none are shown.
    else if (rights === 'public' && localType) {
      const hidden = new Set(sensitiveFields(typeDefinitionOf(localType).fieldSchema));
      fields = Object.fromEntries(Object.entries(license.fields).filter(([name]) => !hidden.has(name)));
    }
    const holderName = credential.credentialSubject.holder.name;
    return {
      authentic: true,
      valid: verdict.valid,
      status: verdict.status,
      identifier: license.identifier,
      type: localType
        ? { code: localType.code, name: localType.name }
        : { code: license.typeCode, name: license.typeName },
      issuer: { code: credential.issuer.code, name: credential.issuer.name },
      holderName: rights === 'none' ? maskName(holderName) : holderName,
      validFrom: new Date(credential.validFrom).toISOString(),
      validUntil: credential.validUntil ? new Date(credential.validUntil).toISOString() : null,
      fields,
      failure: verdict.failure,
      recognition: {
        region: node.region,
        issuerId: node.issuerId,
        foreignTypeCode: license.typeCode,
        localTypeCode: localType?.code ?? null,
      },
    };
  }

  private async fetchCached(node: TrustedNodeRow, url: string, ttlMs: number): Promise<string | null> {
    const key = `${node.issuerId}|${url}`;
    const now = this.deps.clock.now().getTime();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.text;
    const text = await this.deps.fetchText(url);
    if (text !== null) this.cache.set(key, { text, until: now + ttlMs });
    return text;
  }
}

function parseJwks(text: string): { keys: PublicJwk[] } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) && Array.isArray(value.keys) ? { keys: value.keys as PublicJwk[] } : undefined;
  } catch {
    return undefined;
  }
}
