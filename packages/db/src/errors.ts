/**
 * An error whose message is meant for a person at a terminal: one line, no stack needed.
 * The CLI prints only the message of these (and of any other error) and exits 1.
 */
export class PlatformDbError extends Error {
  override name = 'PlatformDbError';
}

/**
 * Schema-engine errors carry a Rust span trace after the message ("   0: schema_engine…"), and
 * driver errors sometimes several lines of detail: keep the part a person needs.
 */
export function conciseMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const withoutTrace = message.split(/\n\s+0: /)[0] ?? message;
  return withoutTrace.trim();
}
