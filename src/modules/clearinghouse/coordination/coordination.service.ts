// Coordinated disclosure (issue 6): cases, vendors, statements, thread, embargo. Stub until it lands.
import type { ModuleDeps } from '../../../server/module-deps.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import type { ClearinghouseService } from '../clearinghouse.service.ts';

/** The case's embargo: the public release moment and the time zone it was set in. */
export interface EmbargoView {
  releaseAt: Date;
  timeZone: string;
}

export type VendorProductStatus = 'affected' | 'not_affected' | 'under_investigation' | 'fixed';

/** A vendor's statement on one product, as an advisory (CSAF VEX, OSV) needs it. */
export interface VendorStatementForAdvisory {
  vendorOrgId: string;
  vendorName: string;
  /** The product's package-url (versionless). */
  product: string;
  status: VendorProductStatus;
  /** VEX justification when not affected (CSAF flag label / CycloneDX justification). */
  justification: string | null;
  fixedVersion: string | null;
  remediation: string | null;
}

export interface CoordinationLinks {
  /** Opening a case moves the vulnerability validated → coordinating in the same transaction. */
  clearinghouse: Pick<ClearinghouseService, 'transition' | 'getVulnerability'>;
}

export function createCoordinationService(deps: ModuleDeps, links: CoordinationLinks) {
  void deps;
  void links;
  return {
    /** The embargo of the case of this vulnerability; null when there is no case or no embargo. */
    embargoOf: async (vulnerabilityId: string): Promise<EmbargoView | null> => {
      void vulnerabilityId;
      return null;
    },
    /** Every vendor statement of the case of this vulnerability (for the advisory's product status). */
    statementsOf: async (vulnerabilityId: string): Promise<VendorStatementForAdvisory[]> => {
      void vulnerabilityId;
      return [];
    },
    jobs: [] as JobDefinition[],
    startup: async () => {},
  };
}

export type CoordinationService = ReturnType<typeof createCoordinationService>;
