// The trust this service verifies with: its own root (plus roots an operator explicitly adds) as
// the only anchors, its issuing and timestamping certificates as chain candidates, its current CRLs
// as fresh revocation data, and its seal registry for the lifecycle status at signing time.
import type { CertificateAuthority } from '../ca/authority.ts';
import type { CertificateFacts } from '../ca/certificate-facts.ts';
import { crlProvider } from './revocation.ts';
import type { SealLookup } from './seal-status.ts';
import type { TrustContext } from './signature-check.ts';

export async function serviceTrust(
  authority: CertificateAuthority,
  seals: SealLookup,
  options: { extraAnchors?: CertificateFacts[]; now?: Date } = {},
): Promise<TrustContext> {
  const [root, issuing, tsa] = [await authority.root(), await authority.issuing(), await authority.timestamping()];
  return {
    anchors: [root.facts, ...(options.extraAnchors ?? [])],
    known: [issuing.facts, tsa.facts],
    revocation: crlProvider(async (issuer) => {
      if (issuer.der.equals(root.facts.der)) return authority.crlDer('root');
      if (issuer.der.equals(issuing.facts.der)) return authority.crlDer('issuing');
      return undefined;
    }),
    seals,
    now: options.now ?? new Date(),
  };
}
