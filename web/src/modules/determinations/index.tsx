import type { ModuleUi } from '../types.ts';
import { DeterminationDetail } from './DeterminationDetail.tsx';
import { DeterminationsWorkspace } from './Workspace.tsx';
import { DeveloperNoticePage } from './DeveloperNotice.tsx';
import { ThresholdGovernance } from './Thresholds.tsx';

export const ui: ModuleUi = {
  nav: [
    {
      path: '/determinations',
      label: 'Determinations',
      abilities: ['determinations:work'],
      description: 'Covered-model determinations, sign-offs and threshold governance.',
    },
  ],
  routes: [
    { path: '/determinations', navPath: '/determinations', element: <DeterminationsWorkspace /> },
    { path: '/determinations/thresholds', navPath: '/determinations', element: <ThresholdGovernance /> },
    { path: '/determinations/:id', navPath: '/determinations', element: <DeterminationDetail /> },
    // Every signed-in user reaches the page; the API answers 404 to anyone who cannot read the model.
    { path: '/models/:id/determination', navPath: '/', element: <DeveloperNoticePage /> },
  ],
};
