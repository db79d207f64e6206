import type { ModuleDeps } from '../../server/module-deps.ts';
import type { JobDefinition } from '../jobs/queue.ts';

export function createReviewsService(_deps: ModuleDeps) {
  return { jobs: [] as JobDefinition<any>[], startup: async () => {} };
}

export type ReviewsService = ReturnType<typeof createReviewsService>;
