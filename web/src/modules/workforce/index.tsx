import type { ModuleUi } from '../types.ts';

export const ui: ModuleUi = { nav: [], routes: [] };
