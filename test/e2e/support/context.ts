// What the global setup hands to test files (vitest provide/inject).
export interface E2eClient {
  id: string;
  secret: string;
}

export interface E2ePlatformInfo {
  /** Compose service name (= network alias) → container id and the port it listens on. */
  containers: Record<string, { id: string; port: number }>;
  /** Clients the suite declares to identity (BOOTSTRAP_CLIENTS), as an integrator would get them. */
  clients: { operator: E2eClient; unit: E2eClient; caseSystem: E2eClient };
  /** Services whose image does not exist yet (flows that need them are skipped with this reason). */
  absent: string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2ePlatform: E2ePlatformInfo;
  }
}
