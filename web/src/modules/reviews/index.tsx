import type { ModuleUi } from '../types.ts';
import { PolicyPage } from './PolicyPage.tsx';
import { WindowList } from './WindowList.tsx';
import { WindowPage } from './WindowPage.tsx';

export const ui: ModuleUi = {
  nav: [
    { path: '/windows', label: 'Review windows', abilities: ['windows:manage', 'models:read'], description: 'Voluntary, time-boxed early access to models: the windows you run or take part in.' },
    { path: '/admin/policy', label: 'Policy', abilities: ['policy:manage'], description: 'The longest review window and the compute trigger, versioned.' },
  ],
  routes: [
    { path: '/windows', navPath: '/windows', element: <WindowList /> },
    { path: '/models/:id/window', navPath: '/windows', element: <WindowPage /> },
    { path: '/admin/policy', navPath: '/admin/policy', element: <PolicyPage /> },
  ],
};
