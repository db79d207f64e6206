import type { ModuleUi } from './types.ts';
import { ui as models } from './models/index.tsx';
import { ui as consultations } from './consultations/index.tsx';
import { ui as determinations } from './determinations/index.tsx';
import { ui as reviews } from './reviews/index.tsx';

export const MODULES: ModuleUi[] = [models, consultations, determinations, reviews];
