import type { ModuleUi } from '../types.ts';
import { ComparePage } from './ComparePage.tsx';
import { EvaluationsHome } from './EvaluationsHome.tsx';
import { ImportSuite } from './ImportSuite.tsx';
import { RunPage } from './RunPage.tsx';
import { SuitePage, SuitesPage } from './SuitesPage.tsx';

export const ui: ModuleUi = {
  nav: [
    { path: '/evaluations', label: 'Evaluations', abilities: ['evaluations:run', 'suites:manage'], description: 'Task suites and evaluation runs through the gateway, with live progress and results.' },
  ],
  routes: [
    { path: '/evaluations', navPath: '/evaluations', element: <EvaluationsHome /> },
    { path: '/evaluations/suites', navPath: '/evaluations', element: <SuitesPage /> },
    { path: '/evaluations/suites/import', navPath: '/evaluations', element: <ImportSuite /> },
    { path: '/evaluations/suites/:id', navPath: '/evaluations', element: <SuitePage /> },
    { path: '/evaluations/runs/:id', navPath: '/evaluations', element: <RunPage /> },
    { path: '/evaluations/compare', navPath: '/evaluations', element: <ComparePage /> },
  ],
};
