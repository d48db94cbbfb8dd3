import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PlatformDbError } from './errors.ts';

export type SchemaEngineModule = typeof glue;

/** The module name the .wasm imports its JS glue under (wasm-bindgen "bundler" target). */
const GLUE_IMPORT_NAME = './schema_engine_bg.js';

/**
 * The slice of the WebAssembly global we use. TypeScript declares that global only in the DOM
 * lib, which this Node-only package does not load.
 */
interface WebAssemblyApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
  RuntimeError: abstract new (...args: never[]) => Error;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface PanicRegistry {
  set_message(message: string): void;
}

let loading: Promise<SchemaEngineModule> | undefined;
/** The last message handed to the panic registry (possibly by another Prisma wasm module). */
let lastPanicMessage: string | undefined;
/** Set once one of our engine calls trapped: the instance must not be used again. */
let crashedWith: string | undefined;

/**
 * The package's entry point does `import * as wasm from "./schema_engine_bg.wasm"`, which Node 20
 * only accepts behind `--experimental-wasm-modules`. We do what that import would do by hand:
 * compile the bytes, link them to the glue module and hand the exports back to the glue, so that
 * no Node flag is needed. The instance is shared by every engine in the process.
 */
export function loadSchemaEngine(): Promise<SchemaEngineModule> {
  if (crashedWith !== undefined) {
    // After a Rust panic the wasm memory may be inconsistent, and the glue module (a singleton)
    // cannot safely be re-linked to a fresh instance, so we refuse rather than misbehave.
    throw new PlatformDbError(`The schema engine crashed earlier in this process: ${crashedWith}`);
  }
  loading ??= instantiate().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * If `error` is the wasm trap that follows a Rust panic, returns the panic's reason and marks the
 * instance unusable; otherwise undefined.
 */
export function recordCrash(error: unknown): string | undefined {
  if (!(error instanceof wasmApi.RuntimeError)) return undefined;
  crashedWith = lastPanicMessage ?? error.message;
  return crashedWith;
}

async function instantiate(): Promise<SchemaEngineModule> {
  installPanicRegistry();
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
  const { instance } = await wasmApi.instantiate(bytes, { [GLUE_IMPORT_NAME]: withUnrefTimers(glue) });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue;
}

/**
 * The engine races its database work against timers (e.g. a 10 s advisory-lock timeout) and never
 * clears them, so a finished command would keep Node alive until they fire. Its pending work
 * always holds a socket open anyway, so the timers need not keep the process alive: unref them.
 */
function withUnrefTimers(module: SchemaEngineModule): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...module };
  for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
    imports[name] = (callback: () => void, ms: number) => {
      const timer = setTimeout(callback, ms >>> 0);
      timer.unref();
      return timer;
    };
  }
  return imports;
}

/**
 * Prisma's wasm modules report the reason of a Rust panic through this global before trapping;
 * without it the glue itself throws a TypeError and the reason is lost. Other Prisma wasm
 * modules (the client's query compiler) use the same global, so we keep any existing one.
 */
function installPanicRegistry(): void {
  const scope = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
  const previous = scope.PRISMA_WASM_PANIC_REGISTRY;
  scope.PRISMA_WASM_PANIC_REGISTRY = {
    set_message(message: string) {
      lastPanicMessage = message;
      previous?.set_message(message);
    },
  };
}
