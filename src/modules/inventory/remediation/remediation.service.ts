// Remediation records and operator notification (issue 7). Stub until it lands.
import type { DbOrTx } from '../../../db/client.ts';
import type { ModuleDeps } from '../../../server/module-deps.ts';
import type { MailService } from '../../notifications/mail.service.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import type { MatchEvent } from '../../matching/matching.types.ts';

export interface RemediationLinks {
  mail: MailService;
  publicUrl: () => string;
}

export function createRemediationService(deps: ModuleDeps, links: RemediationLinks) {
  void deps;
  void links;
  return {
    /** Opens, reopens or closes remediation records and queues notifications, in the matching transaction. */
    onMatchEvents: async (tx: DbOrTx, events: MatchEvent[]): Promise<void> => {
      void tx;
      void events;
    },
    jobs: [] as JobDefinition[],
    startup: async () => {},
  };
}

export type RemediationService = ReturnType<typeof createRemediationService>;
