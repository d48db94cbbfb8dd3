// Checks of the tokens identity sends the console: the ID token after login (OIDC Core §3.1.3.7)
// and the logout token of back-channel logout (OIDC Back-Channel Logout §2.6). Both are ES256
// JWS from identity's JWKS with this client as audience; anything else is refused.
import { jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { sameSecret } from './random.ts';

const ALGORITHMS = ['ES256'];
const CLOCK_TOLERANCE_SECONDS = 30;
const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(`token rejected: ${reason}`);
    this.name = 'TokenRejected';
  }
}

export interface VerificationKeys {
  issuer: string;
  clientId: string;
  keys: JWTVerifyGetKey;
}

export interface IdTokenClaims extends JWTPayload {
  sub: string;
  sid?: string;
  acr?: string;
  auth_time?: number;
  name?: string;
  subject_type?: string;
  id_number?: string;
}

async function verify(token: string, keys: VerificationKeys, typ: string, maxTokenAge?: number): Promise<JWTPayload> {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keys.keys, {
      issuer: keys.issuer,
      audience: keys.clientId,
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(maxTokenAge === undefined ? {} : { maxTokenAge }),
    });
    // Explicit typing keeps one kind of token from being replayed as another (RFC 8725 §3.11).
    if ((protectedHeader.typ ?? '').toLowerCase() !== typ) throw new TokenRejected(`typ must be ${typ}`);
    return payload;
  } catch (error) {
    if (error instanceof TokenRejected) throw error;
    const code = (error as { code?: string }).code ?? 'invalid';
    throw new TokenRejected(code);
  }
}

/** The ID token of a login: signature, iss, aud, exp, typ, and the nonce of this login attempt. */
export async function verifyIdToken(token: string, keys: VerificationKeys, nonce: string): Promise<IdTokenClaims> {
  const payload = await verify(token, keys, 'jwt');
  if (typeof payload.sub !== 'string' || !payload.sub) throw new TokenRejected('sub missing');
  if (typeof payload.nonce !== 'string' || !sameSecret(payload.nonce, nonce)) throw new TokenRejected('nonce mismatch');
  return payload as IdTokenClaims;
}

export interface LogoutTokenClaims {
  sub: string | undefined;
  sid: string | undefined;
  jti: string;
  exp: number;
}

/** A logout token: signature, iss, aud, iat (recent), typ logout+jwt, the event, no nonce, sid or sub. */
export async function verifyLogoutToken(token: string, keys: VerificationKeys): Promise<LogoutTokenClaims> {
  const payload = await verify(token, keys, 'logout+jwt', 300);
  const events = payload.events;
  if (typeof events !== 'object' || events === null || !(BACKCHANNEL_EVENT in events))
    throw new TokenRejected('backchannel-logout event missing');
  // A nonce would mean an ID token dressed as a logout token (spec §2.6 step 5).
  if ('nonce' in payload) throw new TokenRejected('nonce not allowed');
  const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
  const sub = typeof payload.sub === 'string' ? payload.sub : undefined;
  if (!sid && !sub) throw new TokenRejected('sid or sub required');
  if (typeof payload.jti !== 'string' || !payload.jti) throw new TokenRejected('jti missing');
  const exp = typeof payload.exp === 'number' ? payload.exp : Math.floor(Date.now() / 1000) + 300;
  return { sub, sid, jti: payload.jti, exp };
}
