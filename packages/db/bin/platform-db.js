#!/usr/bin/env node
// Entry point of the `platform-db` command. The CLI is TypeScript run in-process through tsx's
// loader, so the package needs no build step and no Node flags.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
