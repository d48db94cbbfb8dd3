#!/usr/bin/env node
// Runs the TypeScript launcher through tsx (no build step needed for tooling).
import { register } from 'tsx/esm/api';

register();
await import('../src/test-runner.ts');
