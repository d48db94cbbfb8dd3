// Agents: a legal person authorises a natural person; after the agent confirms, token exchange
// (RFC 8693) gives the agent tokens with sub = the legal person and act = the agent.
import { errorBodyOf } from '@platform/contracts';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePortal, userTokens } from './support/flows.ts';
import {
  adminToken,
  api,
  citizenId,
  registerFirm,
  registerUser,
  startIdentity,
  type TestIdentity,
  type TestUser,
} from './support/identity.ts';
import { tokenRequest } from './support/oauth.ts';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS = 'urn:ietf:params:oauth:token-type:access_token';

describe('agents and token exchange', () => {
  let identity: TestIdentity;
  let portal: { id: string; secret: string | null };
  let representative: TestUser;
  let agent: TestUser;
  let firm: TestUser;

  beforeAll(async () => {
    identity = await startIdentity();
    portal = await ensurePortal(identity, {
      // license:issue is a staff scope: the client may ask for it, an account only holds it by role.
      scopes: ['openid', 'profile', 'license:apply', 'payment:pay', 'license:issue'],
      grantTypes: ['authorization_code', 'refresh_token', EXCHANGE],
      resources: ['urn:platform:license'],
    });
    representative = await registerUser(identity, { name: '法人代表' });
    agent = await registerUser(identity, { name: '经办人' });
    firm = await registerFirm(identity, representative.subjectId);
  });
  afterAll(() => identity?.close());

  const exchange = (subjectToken: string, extra: Record<string, string> = {}) =>
    tokenRequest(
      identity.url,
      {
        grant_type: EXCHANGE,
        subject_token: subjectToken,
        subject_token_type: ACCESS,
        requested_subject: firm.subjectId,
        resource: 'urn:platform:license',
        ...extra,
      },
      portal,
    );

  it('grants, confirms, exchanges with act, and ends on revocation', async () => {
    const firmApi = api(identity, (await userTokens(identity, firm)).access_token);
    const agentTokens = await userTokens(identity, agent);
    const agentApi = api(identity, agentTokens.access_token);
    const validUntil = new Date(identity.clock.now().getTime() + 90 * 24 * 3600 * 1000).toISOString();
    const granted = await firmApi.agent.grant.mutate({
      agentSubjectId: agent.subjectId,
      scopes: ['license:apply'],
      validUntil,
    });
    expect(granted).toMatchObject({
      status: 'pending',
      principal: { id: firm.id },
      agent: { id: agent.id },
      scopes: ['license:apply'],
    });

    // Not before the agent confirmed.
    expect((await exchange(agentTokens.access_token)).body.error).toBe('invalid_grant');
    await expect(agentApi.agent.confirm.mutate({ authorizationId: granted.id })).resolves.toMatchObject({
      status: 'active',
    });

    const exchanged = await exchange(agentTokens.access_token);
    expect(exchanged.status).toBe(200);
    expect(exchanged.body).toMatchObject({ issued_token_type: ACCESS, token_type: 'Bearer', scope: 'license:apply' });
    expect(exchanged.body.refresh_token).toBeUndefined();
    const claims = decodeJwt(String(exchanged.body.access_token));
    expect(claims).toMatchObject({
      sub: firm.id,
      act: { sub: agent.id },
      aud: 'urn:platform:license',
      client_id: portal.id,
      scope: 'license:apply',
      acr: '1',
    });

    // Only what the authorisation covers.
    expect((await exchange(agentTokens.access_token, { scope: 'payment:pay' })).body.error).toBe('invalid_scope');
    // A stranger's token gets nothing.
    const stranger = await registerUser(identity);
    expect((await exchange((await userTokens(identity, stranger)).access_token)).body.error).toBe('invalid_grant');

    await firmApi.agent.revoke.mutate({ authorizationId: granted.id });
    const introspection = await tokenRequest(
      identity.url,
      { token: String(exchanged.body.access_token) },
      portal,
      '/oidc/introspect',
    );
    expect(introspection.body).toEqual({ active: false });
    expect((await exchange(agentTokens.access_token)).body.error).toBe('invalid_grant');
    // The agent's own login is untouched.
    await expect(agentApi.account.me.query()).resolves.toMatchObject({ id: agent.id });
  });

  it("gives an agent no staff scope the legal person's own roles do not confer", async () => {
    const firmApi = api(identity, (await userTokens(identity, firm)).access_token);
    const agentTokens = await userTokens(identity, agent);
    const validUntil = new Date(identity.clock.now().getTime() + 30 * 24 * 3600 * 1000).toISOString();
    // A firm may write any service item into the authorisation, a clerk's scope included.
    const granted = await firmApi.agent.grant.mutate({
      agentSubjectId: agent.subjectId,
      scopes: ['license:apply', 'license:issue'],
      validUntil,
    });
    await api(identity, agentTokens.access_token).agent.confirm.mutate({ authorizationId: granted.id });
    const exchanged = await exchange(agentTokens.access_token);
    expect(exchanged.status).toBe(200);
    expect(exchanged.body.scope).toBe('license:apply');
    expect(decodeJwt(String(exchanged.body.access_token)).scope).toBe('license:apply');
    expect((await exchange(agentTokens.access_token, { scope: 'license:issue' })).body.error).toBe('invalid_scope');
    await firmApi.agent.revoke.mutate({ authorizationId: granted.id });
  });

  it('lapses when the legal representative changes', async () => {
    const firmApi = api(identity, (await userTokens(identity, firm)).access_token);
    const agentTokens = await userTokens(identity, agent);
    const validUntil = new Date(identity.clock.now().getTime() + 30 * 24 * 3600 * 1000).toISOString();
    const granted = await firmApi.agent.grant.mutate({
      agentSubjectId: agent.subjectId,
      scopes: ['license:apply'],
      validUntil,
    });
    await api(identity, agentTokens.access_token).agent.confirm.mutate({ authorizationId: granted.id });
    expect((await exchange(agentTokens.access_token)).status).toBe(200);

    const admin = api(identity, await adminToken(identity));
    const changed = await admin.admin.account.setLegalRepresentative.mutate({
      accountId: firm.id,
      representativeId: citizenId(),
    });
    expect(changed.lapsedAuthorizations).toBe(1);
    expect((await exchange(agentTokens.access_token)).body.error).toBe('invalid_grant');
    const mine = await api(identity, agentTokens.access_token).agent.listMine.query();
    expect(mine.asAgent.find((row) => row.id === granted.id)?.status).toBe('lapsed');
  });

  it('lets only legal persons authorise, and expires authorisations at their end', async () => {
    const agentTokens = await userTokens(identity, agent);
    const personApi = api(identity, agentTokens.access_token);
    const validUntil = new Date(identity.clock.now().getTime() + 3600 * 1000).toISOString();
    try {
      await personApi.agent.grant.mutate({ agentSubjectId: representative.subjectId, scopes: ['x'], validUntil });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(errorBodyOf(error)?.code).toBe('AGENT_AUTHORIZATION_INVALID');
    }

    // The firm's new representative authorises for one hour; after it, nothing is exchanged.
    const firmApi = api(identity, (await userTokens(identity, firm)).access_token);
    const granted = await firmApi.agent.grant.mutate({
      agentSubjectId: agent.subjectId,
      scopes: ['license:apply'],
      validUntil,
    });
    await personApi.agent.confirm.mutate({ authorizationId: granted.id });
    expect((await exchange(agentTokens.access_token)).status).toBe(200);
    identity.clock.advanceSeconds(3601);
    const fresh = await userTokens(identity, agent);
    expect((await exchange(fresh.access_token)).body.error).toBe('invalid_grant');
    const mine = await api(identity, fresh.access_token).agent.listMine.query();
    expect(mine.asAgent.find((row) => row.id === granted.id)?.status).toBe('expired');
  });
});
