// Console sessions, server side. The browser holds only a random session id in an HttpOnly cookie;
// the tokens stay here. Kept in memory: identity rotates the refresh token on every use and treats
// a reused one as theft, so each session's refreshes must go through one serialising writer, which
// a per-request cookie cannot give (parallel requests would race on the rotation) and which would
// not fit in a cookie anyway (one access token per service). One console replica, or sticky
// sessions, until a shared store implements this same interface.
import { randomToken, sha256Hex } from '../oidc/random.ts';

export interface AccessTokenEntry {
  token: string;
  /** Epoch seconds. */
  expiresAt: number;
  scopes: string[];
}

export interface ConsoleSession {
  /** SHA-256 of the cookie value: a memory dump does not yield usable cookies. */
  key: string;
  subject: string;
  /** Identity's SSO session id (`sid`): back-channel logout ends the console sessions that carry it. */
  sid: string | undefined;
  name: string | undefined;
  subjectType: string | undefined;
  subjectCode: string | undefined;
  acr: string | undefined;
  /** Everything identity granted at login (the nav is built from it). */
  scopes: string[];
  idToken: string;
  refreshToken: string | undefined;
  /** Access tokens per resource (audience), refreshed on demand. */
  accessTokens: Map<string, AccessTokenEntry>;
  createdAt: number;
  lastSeenAt: number;
  /** Chain of refreshes: each waits for the previous one, so the rotated token is never reused. */
  refreshChain: Promise<unknown>;
}

export type NewSession = Omit<ConsoleSession, 'key' | 'createdAt' | 'lastSeenAt' | 'refreshChain'>;

export interface SessionLimits {
  idleSeconds: number;
  absoluteSeconds: number;
  maxSessions: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(
    private readonly limits: SessionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stores a new session; returns the cookie value (a fresh id at every login: no fixation). */
  create(fields: NewSession): { cookieValue: string; session: ConsoleSession } {
    this.sweep();
    if (this.sessions.size >= this.limits.maxSessions) {
      // Memory is bounded: the least recently used session goes first.
      const oldest = [...this.sessions.values()].sort((a, b) => a.lastSeenAt - b.lastSeenAt)[0];
      if (oldest) this.sessions.delete(oldest.key);
    }
    const cookieValue = randomToken();
    const at = this.now();
    const session: ConsoleSession = {
      ...fields,
      key: sha256Hex(cookieValue),
      createdAt: at,
      lastSeenAt: at,
      refreshChain: Promise.resolve(),
    };
    this.sessions.set(session.key, session);
    return { cookieValue, session };
  }

  /** The live session for a cookie value, touched; undefined when unknown or timed out. */
  find(cookieValue: string | undefined): ConsoleSession | undefined {
    if (!cookieValue || cookieValue.length > 100) return undefined;
    const session = this.sessions.get(sha256Hex(cookieValue));
    if (!session) return undefined;
    const at = this.now();
    if (this.expired(session, at)) {
      this.sessions.delete(session.key);
      return undefined;
    }
    session.lastSeenAt = at;
    return session;
  }

  delete(session: ConsoleSession): void {
    this.sessions.delete(session.key);
  }

  /** Ends every session of an identity SSO session (sid) or, without sid, of an account (sub). */
  endBy(selector: { sid?: string | undefined; sub?: string | undefined }): number {
    let ended = 0;
    for (const session of this.sessions.values()) {
      const match = selector.sid
        ? session.sid === selector.sid && (!selector.sub || session.subject === selector.sub)
        : session.subject === selector.sub;
      if (match) {
        this.sessions.delete(session.key);
        ended += 1;
      }
    }
    return ended;
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(session: ConsoleSession, at: number): boolean {
    return (
      at - session.lastSeenAt > this.limits.idleSeconds * 1000 ||
      at - session.createdAt > this.limits.absoluteSeconds * 1000
    );
  }

  private sweep(): void {
    const at = this.now();
    for (const session of this.sessions.values()) if (this.expired(session, at)) this.sessions.delete(session.key);
  }
}

/** Replay guard for logout tokens: each jti is accepted once while the token could be valid. */
export class SeenTokenIds {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True the first time a jti is offered (until its expiry), false on a replay. */
  firstUse(jti: string, expiresAtSeconds: number): boolean {
    const at = this.now() / 1000;
    for (const [id, exp] of this.seen) if (exp < at) this.seen.delete(id);
    if (this.seen.has(jti)) return false;
    this.seen.set(jti, expiresAtSeconds);
    return true;
  }
}
