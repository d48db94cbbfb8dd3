// Files in name order, with the fault flow (which kills and restarts containers) last.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export class FaultsLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const faultsLast = (spec: TestSpecification) => (spec.moduleId.includes('faults') ? 1 : 0);
    return [...files].sort((a, b) => faultsLast(a) - faultsLast(b) || a.moduleId.localeCompare(b.moduleId));
  }
}
