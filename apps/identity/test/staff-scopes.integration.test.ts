// A client may ask for staff scopes, but a person's token carries only those their roles confer:
// a citizen logging in through the console must not become a clerk, a seal officer or a treasurer.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopesForRoles } from '../src/domain/oauth/staff-scopes.ts';
import { ensurePortal, userTokens } from './support/flows.ts';
import { registerUser, startIdentity, type TestIdentity } from './support/identity.ts';

const STAFF = 'license:issue license:read seal:admin seal:sign payment:finance payment:admin identity:admin';
const CITIZEN = 'license:apply payment:pay';

describe('staff scopes follow account roles', () => {
  let identity: TestIdentity;
  beforeAll(async () => {
    identity = await startIdentity();
    await ensurePortal(identity, {
      scopes: ['openid', 'profile', 'offline_access', ...STAFF.split(' '), ...CITIZEN.split(' ')],
    });
  });
  afterAll(() => identity?.close());

  const scopesOf = async (user: { phone: string; password: string }) => {
    const tokens = await userTokens(identity, user, { scope: `openid ${STAFF} ${CITIZEN}` });
    return String(decodeJwt(tokens.access_token).scope ?? '')
      .split(' ')
      .sort();
  };

  it('gives a citizen their own scopes and none of the staff ones', async () => {
    const citizen = await registerUser(identity, { name: '普通市民' });
    expect(await scopesOf(citizen)).toEqual(['license:apply', 'openid', 'payment:pay']);
  });

  it('gives a license clerk and a seal officer what their roles confer, in their next login', async () => {
    const staff = await registerUser(identity, { name: '窗口人员' });
    await identity.core.repositories.accounts.setRoles(staff.id, ['license-clerk', 'seal-officer']);
    expect(await scopesOf(staff)).toEqual(
      ['license:apply', 'license:issue', 'license:read', 'openid', 'payment:pay', 'seal:admin', 'seal:sign'].sort(),
    );
  });

  it('confers each staff scope only through its roles', () => {
    expect(scopesForRoles(['payment:admin', 'payment:finance'], ['finance'])).toEqual(['payment:finance']);
    expect(scopesForRoles(['identity:admin'], ['license-admin'])).toEqual([]);
    expect(scopesForRoles(['openid', 'profile', 'someapp:read'], [])).toEqual(['openid', 'profile', 'someapp:read']);
  });
});
