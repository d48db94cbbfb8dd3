// Procedure answers and errors are written directly rather than through Express's res.json, which
// on every response also hashes the body for an ETag and re-parses the content type to set its
// charset: work an API answer (never revalidated, often different each time) does not need.
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value) ?? 'null';
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}
