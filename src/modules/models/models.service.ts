import type { ModuleDeps } from '../../server/module-deps.ts';
import type { JobDefinition } from '../jobs/queue.ts';

export function createModelsService(_deps: ModuleDeps) {
  return { jobs: [] as JobDefinition<any>[], startup: async () => {} };
}

export type ModelsService = ReturnType<typeof createModelsService>;
