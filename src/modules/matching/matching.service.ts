// Matching service (issue 7): both directions, incrementally. Stub until the matching work lands.
import type { DbOrTx } from '../../db/client.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import type { MatchableAdvisory, MatchEvent } from './matching.types.ts';

export interface MatchingHooks {
  /** Called in the transaction that records new or cleared matches. */
  onMatchEvents: (tx: DbOrTx, events: MatchEvent[]) => Promise<void>;
}

export function createMatchingService(deps: ModuleDeps, hooks: MatchingHooks) {
  void deps;
  void hooks;
  return {
    /** Indexes (or re-indexes) an advisory in the caller's transaction and queues its matching. */
    upsertAdvisory: async (tx: DbOrTx, advisory: MatchableAdvisory): Promise<string> => {
      void tx;
      void advisory;
      throw new Error('matching not built yet');
    },
    /** Queues re-matching of an asset whose current components changed (new SBOM, manual edit). */
    assetChanged: async (tx: DbOrTx, assetId: string): Promise<void> => {
      void tx;
      void assetId;
    },
    jobs: [] as JobDefinition[],
    startup: async () => {},
  };
}

export type MatchingService = ReturnType<typeof createMatchingService>;
