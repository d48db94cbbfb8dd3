// The identity service: accounts, trust levels, sessions, clients, agents and audit. The OpenID
// Connect endpoints themselves (/oidc/*) are plain HTTP and described by the discovery document.
import { CitizenIdNumber, UnifiedSocialCreditCode } from '@platform/identifiers';
import { z } from 'zod';
import { mutation, query } from '../procedure.ts';
import type { ContractRouter } from '../procedure.ts';
import { systemContract } from '../system.ts';

const tags = (tag: string) => [tag];
const Instant = z.iso.datetime();

export const Phone = z
  .string()
  .regex(/^1[3-9]\d{9}$/, 'an 11-digit mainland mobile number')
  .describe('Mobile phone number (11 digits)');
export const Password = z.string().min(1).max(256).describe('Password (rules are checked by the service)');
export const SmsCode = z.string().regex(/^\d{6}$/, '6 digits');
export const TrustLevel = z
  .number()
  .int()
  .min(1)
  .max(4)
  .describe('1 registered, 2 registry-checked, 3 real person (face), 4 certificate or counter; the `acr` claim');
const PersonName = z.string().trim().min(1).max(200);

/**
 * Roles an administrator gives accounts; each confers staff scopes (identity's staff-scopes.ts):
 * admin (identity), license-clerk, license-admin, verifier, seal-officer, seal-approver, seal-user,
 * finance, payment-admin.
 */
export const ACCOUNT_ROLES = [
  'admin',
  'license-clerk',
  'license-admin',
  'verifier',
  'seal-officer',
  'seal-approver',
  'seal-user',
  'finance',
  'payment-admin',
] as const;
export const AccountRole = z.enum(ACCOUNT_ROLES);
export type AccountRole = z.infer<typeof AccountRole>;

export const AccountView = z.object({
  id: z.uuid(),
  kind: z.enum(['natural_person', 'legal_person']),
  subjectId: z.string().describe('Citizen ID number or unified social credit code'),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  status: z.enum(['active', 'locked', 'disabled']),
  trustLevel: TrustLevel,
  totpEnabled: z.boolean(),
  roles: z.array(z.string()),
  legalRepresentativeId: z.string().nullable(),
  createdAt: Instant,
});
export type AccountView = z.infer<typeof AccountView>;

const Registration = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('natural_person'),
    subjectId: CitizenIdNumber,
    name: PersonName,
    phone: Phone,
    smsCode: SmsCode,
    password: Password,
    email: z.email().optional(),
  }),
  z.object({
    kind: z.literal('legal_person'),
    subjectId: UnifiedSocialCreditCode,
    name: PersonName,
    legalRepresentativeId: CitizenIdNumber,
    phone: Phone,
    smsCode: SmsCode,
    password: Password,
    email: z.email().optional(),
  }),
]);

export const SessionView = z.object({
  id: z.string().describe('Public session id (the `sid` claim)'),
  current: z.boolean().describe('Whether the calling token belongs to this session'),
  authTime: Instant,
  lastSeenAt: Instant,
  expiresAt: Instant,
  acr: z.string(),
  amr: z.array(z.string()),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  clients: z.array(z.string()),
});

const GrantType = z.enum([
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:token-exchange',
]);
const AbsoluteUrl = z.url({ protocol: /^https?$/ });

export const ClientSettings = z.object({
  name: z.string().trim().min(1).max(200),
  redirectUris: z.array(AbsoluteUrl).max(20).default([]),
  postLogoutRedirectUris: z.array(AbsoluteUrl).max(20).default([]),
  grantTypes: z.array(GrantType).min(1),
  scopes: z
    .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/))
    .max(100)
    .describe('Scopes the client may request'),
  resources: z
    .array(z.string().min(1).max(300))
    .max(50)
    .default([])
    .describe('Audiences (resource identifiers) the client may request'),
  defaultResource: z.string().min(1).max(300).nullable().default(null),
  backchannelLogoutUri: AbsoluteUrl.nullable().default(null),
  firstParty: z.boolean().default(false).describe('First-party clients skip the consent screen'),
});

export const ClientView = ClientSettings.extend({
  id: z.string(),
  type: z.enum(['confidential', 'public']),
  enabled: z.boolean(),
  createdAt: Instant,
  updatedAt: Instant,
});

const ClientId = z.string().regex(/^[A-Za-z0-9._:-]{3,100}$/);

export const ConsentView = z.object({
  clientId: z.string(),
  clientName: z.string(),
  scopes: z.array(z.string()).describe('Scopes the user agreed to'),
  grantedAt: Instant,
});

export const AgentAuthorizationView = z.object({
  id: z.uuid(),
  principal: z.object({ id: z.uuid(), subjectId: z.string(), name: z.string() }),
  agent: z.object({ id: z.uuid(), subjectId: z.string(), name: z.string() }),
  scopes: z.array(z.string()),
  validFrom: Instant,
  validUntil: Instant,
  status: z.enum(['pending', 'active', 'revoked', 'lapsed', 'expired']),
  createdAt: Instant,
  confirmedAt: Instant.nullable(),
  endedAt: Instant.nullable(),
});

const AuditEventView = z.object({
  seq: z.string(),
  at: Instant,
  type: z.string(),
  accountId: z.string().nullable(),
  clientId: z.string().nullable(),
  ip: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

const Ok = z.object({ ok: z.literal(true) });

export const identityContract = {
  system: systemContract,
  account: {
    requestSmsCode: mutation({
      input: z.object({ phone: Phone, purpose: z.enum(['register', 'login', 'reset_password']) }),
      output: z.object({ sent: z.literal(true), expiresInSeconds: z.number().int() }),
      access: 'public',
      rest: {
        method: 'POST',
        path: '/account/sms-code',
        summary: 'Send a one-time code by SMS',
        tags: tags('account'),
      },
    }),
    register: mutation({
      input: Registration,
      output: AccountView,
      access: 'public',
      rest: {
        method: 'POST',
        path: '/accounts',
        summary: 'Register with phone, SMS code and password',
        tags: tags('account'),
      },
    }),
    resetPassword: mutation({
      input: z.object({ phone: Phone, smsCode: SmsCode, newPassword: Password }),
      output: Ok,
      access: 'public',
      rest: {
        method: 'POST',
        path: '/account/password/reset',
        summary: 'Reset the password with an SMS code',
        tags: tags('account'),
      },
    }),
    me: query({
      input: z.void(),
      output: AccountView,
      rest: { method: 'GET', path: '/account/me', summary: 'The calling user’s account', tags: tags('account') },
    }),
    changePassword: mutation({
      input: z.object({ currentPassword: Password, newPassword: Password }),
      output: Ok,
      rest: {
        method: 'POST',
        path: '/account/password',
        summary: 'Change the password (re-enter the current one)',
        tags: tags('account'),
      },
    }),
    totp: {
      enroll: mutation({
        input: z.object({ currentPassword: Password }),
        output: z.object({ secret: z.string().describe('Base32 secret'), otpauthUri: z.string() }),
        rest: {
          method: 'POST',
          path: '/account/totp/enroll',
          summary: 'Start authenticator-app enrolment',
          tags: tags('account'),
        },
      }),
      confirm: mutation({
        input: z.object({ code: SmsCode }),
        output: z.object({ enabled: z.literal(true) }),
        rest: {
          method: 'POST',
          path: '/account/totp/confirm',
          summary: 'Confirm enrolment with a first code',
          tags: tags('account'),
        },
      }),
      disable: mutation({
        input: z.object({ currentPassword: Password, code: SmsCode }),
        output: Ok,
        rest: {
          method: 'POST',
          path: '/account/totp/disable',
          summary: 'Turn the authenticator app off',
          tags: tags('account'),
        },
      }),
    },
    verifyWithRegistry: mutation({
      input: z.object({ name: PersonName }),
      output: z.object({ trustLevel: TrustLevel }),
      rest: {
        method: 'POST',
        path: '/account/verification/registry',
        summary: 'Check name and ID number (or firm) against the registry: trust level 2',
        tags: tags('account'),
      },
    }),
    verifyFace: mutation({
      input: z.object({
        sample: z.string().min(1).max(200_000).describe('Liveness-checked face capture from the provider SDK'),
      }),
      output: z.object({ trustLevel: TrustLevel }),
      rest: {
        method: 'POST',
        path: '/account/verification/face',
        summary: 'Face check: trust level 3',
        tags: tags('account'),
      },
    }),
  },
  session: {
    listMine: query({
      input: z.void(),
      output: z.array(SessionView),
      rest: { method: 'GET', path: '/sessions', summary: 'My active SSO sessions', tags: tags('session') },
    }),
    endMine: mutation({
      input: z.object({ sessionId: z.string().min(1).max(64) }),
      output: z.object({ ended: z.boolean() }),
      rest: {
        method: 'POST',
        path: '/sessions/{sessionId}/end',
        summary: 'End one of my sessions (logs out every app)',
        tags: tags('session'),
      },
    }),
  },
  consent: {
    listMine: query({
      input: z.void(),
      output: z.array(ConsentView),
      rest: { method: 'GET', path: '/consents', summary: 'Third-party apps I consented to', tags: tags('consent') },
    }),
    revoke: mutation({
      input: z.object({ clientId: ClientId }),
      output: z.object({
        revoked: z.literal(true),
        revokedGrants: z.number().int().describe('Authorisations ended (their refresh and access tokens stop working)'),
        loggedOutSessions: z.number().int().describe('Sessions whose back-channel logout was sent to the app'),
      }),
      rest: {
        method: 'POST',
        path: '/consents/{clientId}/revoke',
        summary: 'Withdraw my consent to an app: its tokens end, it is logged out, and it must ask again',
        tags: tags('consent'),
      },
    }),
  },
  agent: {
    grant: mutation({
      input: z.object({
        agentSubjectId: CitizenIdNumber,
        scopes: z.array(z.string().min(1).max(100)).min(1).max(50),
        validFrom: Instant.optional(),
        validUntil: Instant,
      }),
      output: AgentAuthorizationView,
      rest: {
        method: 'POST',
        path: '/agents',
        summary: 'A legal person authorises a natural person to act for it',
        tags: tags('agent'),
      },
    }),
    confirm: mutation({
      input: z.object({ authorizationId: z.uuid() }),
      output: AgentAuthorizationView,
      rest: {
        method: 'POST',
        path: '/agents/{authorizationId}/confirm',
        summary: 'The agent accepts the authorisation',
        tags: tags('agent'),
      },
    }),
    revoke: mutation({
      input: z.object({ authorizationId: z.uuid() }),
      output: AgentAuthorizationView,
      rest: {
        method: 'POST',
        path: '/agents/{authorizationId}/revoke',
        summary: 'Either side ends the authorisation',
        tags: tags('agent'),
      },
    }),
    listMine: query({
      input: z.void(),
      output: z.object({ asPrincipal: z.array(AgentAuthorizationView), asAgent: z.array(AgentAuthorizationView) }),
      rest: { method: 'GET', path: '/agents', summary: 'Authorisations I gave or received', tags: tags('agent') },
    }),
  },
  admin: {
    account: {
      get: query({
        input: z.object({ accountId: z.uuid() }),
        output: AccountView,
        rest: { method: 'GET', path: '/admin/accounts/{accountId}', summary: 'An account', tags: tags('admin') },
      }),
      setStatus: mutation({
        input: z.object({ accountId: z.uuid(), status: z.enum(['active', 'locked', 'disabled']) }),
        output: AccountView,
        rest: {
          method: 'POST',
          path: '/admin/accounts/{accountId}/status',
          summary: 'Lock, disable or reactivate an account (ends its sessions unless active)',
          tags: tags('admin'),
        },
      }),
      setTrustLevel: mutation({
        input: z.object({ accountId: z.uuid(), trustLevel: TrustLevel }),
        output: AccountView,
        rest: {
          method: 'POST',
          path: '/admin/accounts/{accountId}/trust-level',
          summary: 'Set the trust level after an in-person (counter) check',
          tags: tags('admin'),
        },
      }),
      setRoles: mutation({
        input: z.object({ accountId: z.uuid(), roles: z.array(AccountRole).max(10) }),
        output: AccountView,
        rest: {
          method: 'POST',
          path: '/admin/accounts/{accountId}/roles',
          summary: 'Set an account’s roles (each confers staff scopes in later logins)',
          tags: tags('admin'),
        },
      }),
      setLegalRepresentative: mutation({
        input: z.object({ accountId: z.uuid(), representativeId: CitizenIdNumber }),
        output: z.object({ account: AccountView, lapsedAuthorizations: z.number().int() }),
        rest: {
          method: 'POST',
          path: '/admin/accounts/{accountId}/legal-representative',
          summary: 'Record a new legal representative (agent authorisations lapse)',
          tags: tags('admin'),
        },
      }),
      endSessions: mutation({
        input: z.object({ accountId: z.uuid() }),
        output: z.object({ ended: z.number().int() }),
        rest: {
          method: 'POST',
          path: '/admin/accounts/{accountId}/end-sessions',
          summary: 'End every session of an account',
          tags: tags('admin'),
        },
      }),
    },
    client: {
      create: mutation({
        input: ClientSettings.extend({ id: ClientId, type: z.enum(['confidential', 'public']) }),
        output: z.object({ client: ClientView, clientSecret: z.string().nullable().describe('Shown once') }),
        rest: { method: 'POST', path: '/admin/clients', summary: 'Register a client', tags: tags('admin') },
      }),
      update: mutation({
        input: ClientSettings.partial().extend({ id: ClientId, enabled: z.boolean().optional() }),
        output: ClientView,
        rest: { method: 'PATCH', path: '/admin/clients/{id}', summary: 'Change a client', tags: tags('admin') },
      }),
      rotateSecret: mutation({
        input: z.object({ id: ClientId }),
        output: z.object({ clientSecret: z.string() }),
        rest: {
          method: 'POST',
          path: '/admin/clients/{id}/secret',
          summary: 'Issue a new secret (the old one stops working)',
          tags: tags('admin'),
        },
      }),
      get: query({
        input: z.object({ id: ClientId }),
        output: ClientView,
        rest: { method: 'GET', path: '/admin/clients/{id}', summary: 'A client', tags: tags('admin') },
      }),
      list: query({
        input: z.void(),
        output: z.array(ClientView),
        rest: { method: 'GET', path: '/admin/clients', summary: 'All clients', tags: tags('admin') },
      }),
    },
    audit: {
      verify: query({
        input: z.void(),
        output: z.object({
          ok: z.boolean(),
          checked: z.number().int(),
          brokenAt: z.object({ seq: z.string(), reason: z.enum(['hash_mismatch', 'gap', 'link_mismatch']) }).optional(),
        }),
        rest: {
          method: 'GET',
          path: '/admin/audit/verify',
          summary: 'Verify the audit hash chain',
          tags: tags('admin'),
        },
      }),
      list: query({
        input: z.object({
          accountId: z.uuid().optional(),
          type: z.string().max(64).optional(),
          limit: z.number().int().min(1).max(500).default(100),
        }),
        output: z.array(AuditEventView),
        rest: { method: 'GET', path: '/admin/audit/events', summary: 'Latest audit events', tags: tags('admin') },
      }),
    },
    logoutDeliveries: query({
      input: z.object({
        status: z.enum(['pending', 'delivered', 'failed']).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
      output: z.array(
        z.object({
          id: z.uuid(),
          sessionId: z.string(),
          clientId: z.string(),
          status: z.enum(['pending', 'delivered', 'failed']),
          attempts: z.number().int(),
          lastError: z.string().nullable(),
          createdAt: Instant,
          deliveredAt: Instant.nullable(),
        }),
      ),
      rest: {
        method: 'GET',
        path: '/admin/logout-deliveries',
        summary: 'Back-channel logout deliveries and their status',
        tags: tags('admin'),
      },
    }),
  },
  dev: {
    smsOutbox: query({
      input: z.object({ phone: Phone.optional(), limit: z.number().int().min(1).max(100).default(20) }),
      output: z.array(z.object({ phone: z.string(), body: z.string(), createdAt: Instant })),
      access: 'public',
      rest: {
        method: 'GET',
        path: '/dev/sms-outbox',
        summary: 'Development only: messages the development SMS gateway "sent" (refused in production)',
        tags: tags('dev'),
      },
    }),
  },
};

export type IdentityRouter = ContractRouter<typeof identityContract>;
