// OpenAPI 3.1 for integrators in any language, generated from the same contracts the tRPC
// procedures implement, so REST and tRPC can never disagree.
import { flattenContract, type ContractRecord, type ProcedureContract } from '@platform/contracts';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

export function isVoidSchema(schema: z.ZodType): boolean {
  const type = schema.def.type;
  return type === 'void' || type === 'undefined';
}

export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'openapi-3.0',
  }) as JsonSchema;
  return rest;
}

/** `/licenses/{id}` → `/licenses/:id` for Express. */
function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
}

function operation(procedurePath: string, procedure: ProcedureContract): JsonSchema {
  const { rest } = procedure;
  const inputSchema = isVoidSchema(procedure.input) ? undefined : jsonSchemaOf(procedure.input, 'input');
  const inPath = new Set(pathParameters(rest.path));
  const properties = (inputSchema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((inputSchema?.required ?? []) as string[]);
  const readsQuery = rest.method === 'GET' || rest.method === 'DELETE';

  const parameters = Object.entries(properties)
    .filter(([name]) => inPath.has(name) || readsQuery)
    .map(([name, schema]) => ({
      name,
      in: inPath.has(name) ? 'path' : 'query',
      required: inPath.has(name) || required.has(name),
      schema,
    }));

  return {
    operationId: procedurePath,
    summary: rest.summary,
    tags: rest.tags ?? [procedurePath.split('.')[0]],
    ...(parameters.length ? { parameters } : {}),
    ...(!readsQuery && inputSchema
      ? { requestBody: { required: true, content: { 'application/json': { schema: inputSchema } } } }
      : {}),
    security: procedure.access === 'public' ? [] : [{ bearer: [] }],
    responses: {
      '200': {
        description: 'Success',
        content: { 'application/json': { schema: jsonSchemaOf(procedure.output, 'output') } },
      },
      default: {
        description: 'Error (see `code`)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
      },
    },
  };
}

export function buildOpenApiDocument(options: {
  service: string;
  version: string;
  contract: ContractRecord;
}): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const { path, procedure } of flattenContract(options.contract)) {
    const entry = (paths[procedure.rest.path] ??= {});
    entry[procedure.rest.method.toLowerCase()] = operation(path, procedure);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `${options.service} service API`,
      version: options.version,
      description: `REST interface of the ${options.service} service. Every operation is also a tRPC procedure at /trpc/<operationId>.`,
    },
    servers: [{ url: '/api' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        ErrorResponse: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'httpStatus'],
              properties: {
                code: { type: 'string', description: 'Stable error code; branch on this, never on the message' },
                message: { type: 'string' },
                httpStatus: { type: 'integer' },
                requestId: { type: 'string' },
                issues: {
                  type: 'array',
                  items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
                },
              },
            },
          },
        },
      },
    },
  };
}
