import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AppError,
  ERROR_CATALOG,
  flattenContract,
  httpStatusOf,
  identityContract,
  isErrorCode,
  licenseContract,
  mutation,
  paymentContract,
  query,
  sealContract,
} from '../src/index.ts';

describe('error model', () => {
  it('gives every code an HTTP status from its category', () => {
    for (const code of Object.keys(ERROR_CATALOG)) {
      expect(isErrorCode(code)).toBe(true);
      expect(httpStatusOf(code as keyof typeof ERROR_CATALOG)).toBeGreaterThanOrEqual(400);
    }
    expect(httpStatusOf('VALIDATION_FAILED')).toBe(400);
    expect(httpStatusOf('UNAUTHENTICATED')).toBe(401);
    expect(httpStatusOf('INSUFFICIENT_SCOPE')).toBe(403);
    expect(httpStatusOf('IDEMPOTENCY_KEY_REUSED')).toBe(422);
    expect(httpStatusOf('INTERNAL')).toBe(500);
    expect(isErrorCode('NO_SUCH_CODE')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('carries code, status and issues on AppError', () => {
    const error = new AppError('VALIDATION_FAILED', 'bad', { issues: [{ path: 'a', message: 'm' }] });
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      httpStatus: 400,
      message: 'bad',
      issues: [{ path: 'a', message: 'm' }],
    });
  });
});

describe('contracts', () => {
  it('lists procedures with dotted paths', () => {
    const contract = {
      a: { b: query({ input: z.void(), output: z.string(), rest: { method: 'GET', path: '/a/b', summary: 's' } }) },
      c: mutation({ input: z.void(), output: z.string(), rest: { method: 'POST', path: '/c', summary: 's' } }),
    };
    expect(flattenContract(contract).map((p) => [p.path, p.procedure.kind])).toEqual([
      ['a.b', 'query'],
      ['c', 'mutation'],
    ]);
  });

  it('defaults procedures to authenticated access', () => {
    expect(query({ input: z.void(), output: z.void(), rest: { method: 'GET', path: '/x', summary: 's' } }).access).toBe(
      'authenticated',
    );
  });

  it('gives every service procedure a unique REST route', () => {
    for (const contract of [identityContract, licenseContract, sealContract, paymentContract]) {
      const routes = flattenContract(contract).map(
        ({ procedure }) => `${procedure.rest.method} ${procedure.rest.path}`,
      );
      expect(new Set(routes).size).toBe(routes.length);
      expect(routes).toContain('GET /system/info');
    }
  });
});
