// SSO sessions: a random cookie secret (only its hash is stored), a public `sid`, idle and absolute
// timeouts, and a fresh session at every login. Ending a session (logout, user, admin, disabled
// account) runs the registered listeners: grant revocation and back-channel logout.
import { randomUUID } from 'node:crypto';
import { addSeconds, type Clock } from '../../clock.ts';
import type { Session, SessionRepository, SessionWithClients } from '../../repositories/sessions.ts';
import { randomToken, sha256Hex } from '../crypto/random.ts';

export type { Session, SessionWithClients };

export type SessionEndReason =
  'logout' | 'user' | 'admin' | 'account_disabled' | 'password_reset' | 'replaced' | 'expired';
export type SessionEndedListener = (session: SessionWithClients, reason: SessionEndReason) => Promise<void>;

export interface SessionTimeouts {
  idleSeconds: number;
  absoluteSeconds: number;
}

// lastSeenAt is written at most this often, so a busy SSO session is not a write per request.
const TOUCH_EVERY_MS = 60_000;

export class Sessions {
  private readonly listeners: SessionEndedListener[] = [];

  constructor(
    private readonly repository: SessionRepository,
    private readonly clock: Clock,
    private readonly timeouts: SessionTimeouts,
  ) {}

  onEnded(listener: SessionEndedListener): void {
    this.listeners.push(listener);
  }

  /** A new session (new id and secret) for a completed login; the caller sets the cookie. */
  async start(input: {
    accountId: string;
    acr: number;
    amr: string[];
    ip?: string | undefined;
    userAgent?: string | undefined;
  }): Promise<{ session: Session; cookieValue: string }> {
    const now = this.clock.now();
    const cookieValue = randomToken(32);
    const session = await this.repository.create({
      sid: randomUUID(),
      secretHash: sha256Hex(cookieValue),
      accountId: input.accountId,
      acr: input.acr,
      amr: input.amr,
      authTime: now,
      lastSeenAt: now,
      expiresAt: addSeconds(now, this.timeouts.absoluteSeconds),
      ip: input.ip?.slice(0, 64) ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    return { session, cookieValue };
  }

  /** The open session behind a cookie value, or undefined (unknown, ended, idle or past its absolute end). */
  async resolve(cookieValue: string | undefined): Promise<Session | undefined> {
    if (!cookieValue || cookieValue.length > 100) return undefined;
    const session = await this.repository.findBySecretHash(sha256Hex(cookieValue));
    if (!session || session.endedAt) return undefined;
    const now = this.clock.now();
    if (!this.isLive(session, now)) return undefined;
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.repository.touch(session.id, now);
    return session;
  }

  isLive(session: Session, now: Date = this.clock.now()): boolean {
    if (session.endedAt) return false;
    if (session.expiresAt.getTime() <= now.getTime()) return false;
    return now.getTime() - session.lastSeenAt.getTime() < this.timeouts.idleSeconds * 1000;
  }

  /**
   * Ends sessions that timed out (idle or absolute), so that their apps are told through
   * back-channel logout and their grants end, instead of lingering until someone looks.
   */
  async endExpired(limit = 500): Promise<number> {
    const now = this.clock.now();
    const idleCutoff = new Date(now.getTime() - this.timeouts.idleSeconds * 1000);
    let ended = 0;
    for (const session of await this.repository.findExpired(idleCutoff, now, limit))
      if (await this.end(session.id, 'expired')) ended += 1;
    return ended;
  }

  /** An app used the session (a refresh): it counts as activity, like a visit to the provider. */
  async touch(session: Session): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.repository.touch(session.id, now);
  }

  async findById(id: string): Promise<Session | undefined> {
    return (await this.repository.findById(id)) ?? undefined;
  }

  findBySid(sid: string): Promise<SessionWithClients | null> {
    return this.repository.findBySid(sid);
  }

  /**
   * A login in a browser that already had a session: the old session id is never reused. For the
   * same account its apps move over (they stay logged in); for another account it simply ends.
   */
  async replace(old: Session, successor: Session): Promise<void> {
    if (old.accountId === successor.accountId) await this.repository.transferTo(old.id, successor.id);
    await this.end(old.id, 'replaced');
  }

  async raise(sessionId: string, acr: number, amr: string[]): Promise<void> {
    await this.repository.setAcr(sessionId, acr, amr);
  }

  async addClient(sessionId: string, clientId: string): Promise<void> {
    await this.repository.addClient(sessionId, clientId, this.clock.now());
  }

  /** The client is no longer part of the session (the user withdrew its consent). */
  async removeClient(sessionId: string, clientId: string): Promise<void> {
    await this.repository.removeClient(sessionId, clientId);
  }

  async end(sessionId: string, reason: SessionEndReason): Promise<boolean> {
    const ended = await this.repository.end(sessionId, this.clock.now(), reason);
    if (!ended) return false;
    for (const listener of this.listeners) await listener(ended, reason);
    return true;
  }

  async endAllForAccount(accountId: string, reason: SessionEndReason): Promise<number> {
    let count = 0;
    for (const session of await this.repository.openForAccount(accountId, this.clock.now()))
      if (await this.end(session.id, reason)) count += 1;
    return count;
  }

  /** Open sessions of an account, idle ones excluded. */
  async listOpen(accountId: string): Promise<SessionWithClients[]> {
    const now = this.clock.now();
    return (await this.repository.openForAccount(accountId, now)).filter((session) => this.isLive(session, now));
  }
}
