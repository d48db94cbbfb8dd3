// Runtime half of "the router matches its contract" (the type half is a tsc check in each service):
// the same procedure paths, kinds and schemas, nothing more, nothing less.
import type { AnyTRPCRouter } from '@trpc/server';
import { flattenContract, type ContractRecord } from '@platform/contracts';

export function contractMismatches(router: AnyTRPCRouter, contract: ContractRecord): string[] {
  const procedures = router._def.procedures as Record<
    string,
    { _def: { type: string; inputs: unknown[]; meta?: unknown } }
  >;
  const expected = new Map(flattenContract(contract).map((entry) => [entry.path, entry.procedure]));
  const problems: string[] = [];
  for (const [path, contractProcedure] of expected) {
    const procedure = procedures[path];
    if (!procedure) problems.push(`${path}: in the contract but not implemented`);
    else if (procedure._def.type !== contractProcedure.kind)
      problems.push(`${path}: is a ${procedure._def.type}, the contract says ${contractProcedure.kind}`);
    else if (procedure._def.inputs[0] !== contractProcedure.input)
      problems.push(`${path}: input schema is not the contract's`);
  }
  for (const path of Object.keys(procedures))
    if (!expected.has(path)) problems.push(`${path}: implemented but not in the contract`);
  return problems;
}
