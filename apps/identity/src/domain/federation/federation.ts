// Login through an upstream OpenID provider (the national platform). See upstream-login.ts.
export interface Federation {
  /** Shown on the login button. */
  readonly name: string;
  /** The upstream authorization URL for this interaction (state and PKCE kept server-side). */
  start(interactionId: string, browserId: string): Promise<string>;
  /** Completes the upstream login; returns the local account and the interaction to resume. */
  complete(
    params: Record<string, string>,
    browserId: string,
  ): Promise<{ accountId: string; interactionId: string; acr: number }>;
}
