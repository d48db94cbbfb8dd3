// The development seals (infra/dev/seals.json) for the seal service, and the finance bureau whose
// supervision seal the payment service adds to every receipt. Only outside production: the seal
// service refuses declared seals there.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './services.ts';

/** 山东省财政厅: declared in infra/dev/seals.json with its supervision seal. */
export const DEVELOPMENT_RECEIPT_SUPERVISOR = '11370000004200236U';

export function developmentSealSettings(nodeEnv: string): Record<string, Record<string, string>> {
  if (nodeEnv === 'production') return {};
  const declared = readFileSync(path.join(repoRoot, 'infra/dev/seals.json'), 'utf8');
  return {
    seal: { BOOTSTRAP_SEALS: JSON.stringify(JSON.parse(declared)) },
    payment: { RECEIPT_SUPERVISOR_CODE: DEVELOPMENT_RECEIPT_SUPERVISOR },
  };
}
