import type { ModuleDeps } from '../../server/module-deps.ts';
import type { JobDefinition } from '../jobs/queue.ts';

export function createPartnersService(deps: ModuleDeps) {
  void deps;
  return {
    jobs: [] as JobDefinition[],
    startup: async () => {},
  };
}

export type PartnersService = ReturnType<typeof createPartnersService>;
