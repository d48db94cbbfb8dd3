// What the browser tests' global setup hands to the test files (vitest provide/inject).
declare module 'vitest' {
  export interface ProvidedContext {
    consoleUrls: { console: string; identity: string; license: string; payment: string; seal: string; banksim: string };
    consoleOpsClient: { id: string; secret: string };
  }
}

export {};
