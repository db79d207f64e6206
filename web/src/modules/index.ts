import type { NavGroup } from '../nav.ts';
import type { ModuleUi } from './types.ts';
import { ui as models } from './models/index.tsx';
import { ui as consultations } from './consultations/index.tsx';
import { ui as determinations } from './determinations/index.tsx';
import { ui as reviews } from './reviews/index.tsx';
import { ui as gateway } from './gateway/index.tsx';
import { ui as evaluations } from './evaluations/index.tsx';
import { ui as findings } from './findings/index.tsx';
import { ui as partners } from './partners/index.tsx';
import { ui as transparency } from './transparency/index.tsx';
import { ui as clearinghouse } from './clearinghouse/index.tsx';
import { ui as inventory } from './inventory/index.tsx';
import { ui as grants } from './grants/index.tsx';
import { ui as workforce } from './workforce/index.tsx';

/**
 * Puts a module's nav rows in a side-navigation group here, so module folders stay free of
 * layout concerns; `exceptions` moves single rows (by path) to another group.
 */
function inGroup(ui: ModuleUi, group: NavGroup, exceptions: Record<string, NavGroup> = {}): ModuleUi {
  return { ...ui, nav: ui.nav.map((item) => ({ ...item, group: item.group ?? exceptions[item.path] ?? group })) };
}

export const MODULES: ModuleUi[] = [
  inGroup(models, 'Review'),
  inGroup(consultations, 'Review'),
  inGroup(determinations, 'Review'),
  // The review-window policy is platform upkeep, not review work.
  inGroup(reviews, 'Review', { '/admin/policy': 'Administration' }),
  inGroup(gateway, 'Review'),
  inGroup(evaluations, 'Review'),
  inGroup(findings, 'Review'),
  inGroup(partners, 'Review'),
  inGroup(transparency, 'Review'),
  inGroup(clearinghouse, 'Clearinghouse'),
  inGroup(inventory, 'Operators'),
  inGroup(grants, 'Programs'),
  inGroup(workforce, 'Programs'),
];
