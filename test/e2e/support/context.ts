// What the global setup hands to test files (vitest provide/inject).
export interface E2eClient {
  id: string;
  secret: string;
}

/** A relying party (web app) logging citizens in with authorization code + PKCE. */
export interface E2eApp extends E2eClient {
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Path on the receiver container where identity posts its back-channel logout tokens. */
  backchannelPath: string;
}

export interface E2ePlatformInfo {
  /** Compose service name (= network alias) → container id and the port it listens on. */
  containers: Record<string, { id: string; port: number }>;
  /** Clients the suite declares to identity (BOOTSTRAP_CLIENTS), as an integrator would get them. */
  clients: { operator: E2eClient; unit: E2eClient; caseSystem: E2eClient };
  /** Two citizen-facing apps sharing identity's SSO session (flow 1). */
  apps: { a: E2eApp; b: E2eApp };
  /** Services whose image does not exist yet (flows that need them are skipped with this reason). */
  absent: string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2ePlatform: E2ePlatformInfo;
  }
}
