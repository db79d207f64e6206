import type { ModuleUi } from '../types.ts';
import { ModelDetailPage } from './ModelDetailPage.tsx';
import { ModelList } from './ModelList.tsx';
import { RegisterModel } from './RegisterModel.tsx';

export const ui: ModuleUi = {
  nav: [{ path: '/models', label: 'Models', abilities: ['models:register', 'models:read'], description: 'Models and their disclosure packages: your own, or those shared with your agency.' }],
  routes: [
    { path: '/models', navPath: '/models', element: <ModelList /> },
    { path: '/models/new', navPath: '/models', element: <RegisterModel /> },
    { path: '/models/:id', navPath: '/models', element: <ModelDetailPage /> },
  ],
};
