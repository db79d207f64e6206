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

export const MODULES: ModuleUi[] = [models, consultations, determinations, reviews, gateway, evaluations, findings, partners, transparency, clearinghouse, inventory, grants, workforce];
