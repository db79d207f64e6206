import type { ModuleUi } from '../types.ts';
import { AssessmentBoard } from './AssessmentBoard.tsx';
import { AssessmentList } from './AssessmentList.tsx';
import { FileFinding } from './FileFinding.tsx';
import { FindingPage } from './FindingPage.tsx';
import { FindingsList } from './FindingsList.tsx';

export const ui: ModuleUi = {
  nav: [
    { path: '/findings', label: 'Findings', abilities: ['findings:file', 'findings:respond'], description: 'Findings filed against models under review, and the developer’s answers.' },
    {
      path: '/assessments',
      label: 'Assessment boards',
      abilities: ['assessments:manage', 'findings:file', 'findings:respond'],
      description: 'Coordinated assessments of open review windows: workstreams, assignees and due dates.',
    },
  ],
  routes: [
    { path: '/findings', navPath: '/findings', element: <FindingsList /> },
    { path: '/findings/new', navPath: '/findings', element: <FileFinding /> },
    { path: '/findings/:id', navPath: '/findings', element: <FindingPage /> },
    { path: '/assessments', navPath: '/assessments', element: <AssessmentList /> },
    { path: '/assessments/:id', navPath: '/assessments', element: <AssessmentBoard /> },
  ],
};
