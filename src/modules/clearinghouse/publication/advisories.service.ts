// Advisories (issue 6): identifiers, revisions, TLP, CSAF/OSV output, distribution. Stub until it lands.
import type { ModuleDeps } from '../../../server/module-deps.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import type { ClearinghouseService } from '../clearinghouse.service.ts';
import type { CoordinationService } from '../coordination/coordination.service.ts';
import type { MatchingService } from '../../matching/matching.service.ts';

export interface AdvisoryDeps {
  /** Publishing moves the vulnerability coordinating → published in the same transaction. */
  clearinghouse: Pick<ClearinghouseService, 'transition' | 'getVulnerability'>;
  coordination: Pick<CoordinationService, 'embargoOf' | 'statementsOf'>;
  matching: Pick<MatchingService, 'upsertAdvisory'>;
}

export function createAdvisoriesService(deps: ModuleDeps, links: AdvisoryDeps) {
  void deps;
  void links;
  return {
    jobs: [] as JobDefinition[],
    startup: async () => {},
  };
}

export type AdvisoriesService = ReturnType<typeof createAdvisoriesService>;
