// A contract describes a procedure without implementing it: its kind, zod schemas and REST route.
// Services implement contracts (service-kit `implement`), clients derive their types from them.
import type { TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure } from '@trpc/server';
import type { z } from 'zod';
import type { ErrorBody } from './errors/index.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRoute {
  method: HttpMethod;
  /** Path below `/api`, e.g. `/system/info`. Path parameters are written `{name}`. */
  path: string;
  summary: string;
  tags?: string[];
}

/** Who may call the procedure; services enforce it, the OpenAPI document shows it. */
export type Access = 'public' | 'authenticated';

export interface ProcedureContract<
  TKind extends 'query' | 'mutation' = 'query' | 'mutation',
  TInput extends z.ZodType = z.ZodType,
  TOutput extends z.ZodType = z.ZodType,
> {
  readonly kind: TKind;
  readonly input: TInput;
  readonly output: TOutput;
  readonly rest: RestRoute;
  readonly access: Access;
}

export interface ContractRecord {
  readonly [key: string]: ProcedureContract | ContractRecord;
}

interface ProcedureSpec<TInput extends z.ZodType, TOutput extends z.ZodType> {
  input: TInput;
  output: TOutput;
  rest: RestRoute;
  access?: Access;
}

export function query<TInput extends z.ZodType, TOutput extends z.ZodType>(
  spec: ProcedureSpec<TInput, TOutput>,
): ProcedureContract<'query', TInput, TOutput> {
  return { kind: 'query', access: 'authenticated', ...spec };
}

export function mutation<TInput extends z.ZodType, TOutput extends z.ZodType>(
  spec: ProcedureSpec<TInput, TOutput>,
): ProcedureContract<'mutation', TInput, TOutput> {
  return { kind: 'mutation', access: 'authenticated', ...spec };
}

export function isProcedureContract(value: unknown): value is ProcedureContract {
  return typeof value === 'object' && value !== null && 'kind' in value && 'rest' in value;
}

/** Every procedure of a contract with its dotted tRPC path, e.g. `system.info`. */
export function flattenContract(
  record: ContractRecord,
  prefix = '',
): Array<{ path: string; procedure: ProcedureContract }> {
  return Object.entries(record).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return isProcedureContract(value) ? [{ path, procedure: value }] : flattenContract(value, path);
  });
}

/** Meta every procedure of the platform carries. */
export interface ProcedureMeta {
  rest: RestRoute;
  access: Access;
}

/** The tRPC error shape of the platform: tRPC's envelope with the shared ErrorBody as `data`. */
export interface PlatformErrorShape {
  code: number;
  message: string;
  data: ErrorBody;
}

type ProcedureOf<C> =
  C extends ProcedureContract<infer K, infer I, infer O>
    ? K extends 'query'
      ? TRPCQueryProcedure<{
          input: z.input<I>;
          output: z.output<O>;
          meta: ProcedureMeta;
        }>
      : TRPCMutationProcedure<{
          input: z.input<I>;
          output: z.output<O>;
          meta: ProcedureMeta;
        }>
    : C extends ContractRecord
      ? RouterRecordOf<C>
      : never;

type RouterRecordOf<C extends ContractRecord> = {
  [K in keyof C]: ProcedureOf<C[K]>;
};

/** The tRPC router type a contract describes; clients are typed by it, never by server code. */
export type ContractRouter<C extends ContractRecord> = TRPCBuiltRouter<
  {
    ctx: object;
    meta: ProcedureMeta;
    errorShape: PlatformErrorShape;
    transformer: false;
  },
  RouterRecordOf<C>
>;
