import type { ModuleDeps } from '../../server/module-deps.ts';
import type { JobDefinition } from '../jobs/queue.ts';

export function createDeterminationsService(_deps: ModuleDeps) {
  return { jobs: [] as JobDefinition<any>[], startup: async () => {} };
}

export type DeterminationsService = ReturnType<typeof createDeterminationsService>;
