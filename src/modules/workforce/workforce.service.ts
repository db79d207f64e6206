import type { ModuleDeps } from '../../server/module-deps.ts';
import type { JobDefinition } from '../jobs/queue.ts';

export function createWorkforceService(deps: ModuleDeps) {
  void deps;
  return {
    jobs: [] as JobDefinition[],
    startup: async () => {},
  };
}

export type WorkforceService = ReturnType<typeof createWorkforceService>;
