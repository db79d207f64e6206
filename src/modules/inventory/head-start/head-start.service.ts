// The defender head start (issue 7). Stub until it lands.
import type { ModuleDeps } from '../../../server/module-deps.ts';
import type { JobDefinition } from '../../jobs/queue.ts';

export function createHeadStartService(deps: ModuleDeps) {
  void deps;
  return {
    jobs: [] as JobDefinition[],
    startup: async () => {},
  };
}

export type HeadStartService = ReturnType<typeof createHeadStartService>;
