import type { ModuleUi } from '../types.ts';
import { TransparencyPage } from './TransparencyPage.tsx';

export { TransparencyPage };

export const ui: ModuleUi = {
  nav: [{ path: '/transparency', label: 'Transparency', description: 'The public, unclassified quarterly report on the framework.' }],
  routes: [{ path: '/transparency', navPath: '/transparency', element: <TransparencyPage />, public: true }],
};
