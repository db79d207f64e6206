import type { ModuleUi } from '../types.ts';
import { ApplicationPage } from './ApplicationPage.tsx';
import { ApplicationsPage } from './ApplicationsPage.tsx';
import { ConsistencyPage } from './ConsistencyPage.tsx';
import { NewPanelPage } from './PanelForms.tsx';
import { PanelPage, PanelsPage } from './PanelPages.tsx';

export const ui: ModuleUi = {
  nav: [
    { path: '/partners', label: 'Trusted partners', abilities: ['partners:apply', 'partners:vet'], description: 'Applications against the published criteria, vetting and their outcomes.' },
    { path: '/partners/panels', label: 'Selection panels', abilities: ['panels:serve', 'partners:vet'], description: 'Joint selection and appeal panels: declare conflicts and vote with your rationale.' },
    { path: '/partners/consistency', label: 'Partner consistency', abilities: ['oversight:read'], description: 'Oversight: panel decisions by criterion, member and outcome, with flags.' },
  ],
  routes: [
    { path: '/partners', navPath: '/partners', element: <ApplicationsPage /> },
    { path: '/partners/applications/:id', navPath: '/partners', element: <ApplicationPage /> },
    { path: '/partners/panels', navPath: '/partners/panels', element: <PanelsPage /> },
    { path: '/partners/panels/new', navPath: '/partners/panels', element: <NewPanelPage /> },
    { path: '/partners/panels/:id', navPath: '/partners/panels', element: <PanelPage /> },
    { path: '/partners/consistency', navPath: '/partners/consistency', element: <ConsistencyPage /> },
  ],
};
