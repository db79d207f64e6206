import type { ModuleUi } from '../types.ts';
import { AssetList } from './Assets.tsx';
import { AssetPage } from './AssetPage.tsx';
import { AffectedAdvisories, AffectedAdvisory } from './Coordinator.tsx';
import { RemediationBoard, RemediationPage } from './Remediation.tsx';
import { HeadStartList, HeadStartPage } from './HeadStart.tsx';
import { OperatorProfile } from './Profile.tsx';
import { DeadLetters } from './DeadLetters.tsx';

export const ui: ModuleUi = {
  nav: [
    { path: '/inventory', label: 'Inventory', abilities: ['inventory:manage'], description: 'Your systems and sites, their SBOMs and components, and how advisories reach you.' },
    { path: '/remediation', label: 'Remediation', abilities: ['remediation:manage'], description: 'Advisories that affect your inventory: acknowledge, patch, or declare not affected.' },
    {
      path: '/affected-operators',
      label: 'Affected operators',
      abilities: ['clearinghouse:coordinate', 'advisories:publish'],
      description: 'Who each advisory affects, their remediation, and the delivery of their notices.',
    },
    {
      path: '/head-start',
      label: 'Defender head start',
      abilities: ['clearinghouse:coordinate', 'advisories:publish', 'models:read'],
      description: 'Per reviewed model: operators affected and the share patched before its public release.',
    },
    {
      path: '/notifications/failed',
      label: 'Failed deliveries',
      abilities: ['clearinghouse:coordinate', 'remediation:manage', 'jobs:read'],
      description: 'Advisory notices that could not be delivered after every retry; send them again.',
    },
  ],
  routes: [
    { path: '/inventory', navPath: '/inventory', element: <AssetList /> },
    { path: '/inventory/assets/:id', navPath: '/inventory', element: <AssetPage /> },
    { path: '/inventory/profile', navPath: '/inventory', element: <OperatorProfile /> },
    { path: '/remediation', navPath: '/remediation', element: <RemediationBoard /> },
    { path: '/remediation/:id', navPath: '/remediation', element: <RemediationPage /> },
    { path: '/affected-operators', navPath: '/affected-operators', element: <AffectedAdvisories /> },
    { path: '/affected-operators/:id', navPath: '/affected-operators', element: <AffectedAdvisory /> },
    { path: '/head-start', navPath: '/head-start', element: <HeadStartList /> },
    { path: '/head-start/:id', navPath: '/head-start', element: <HeadStartPage /> },
    { path: '/notifications/failed', navPath: '/notifications/failed', element: <DeadLetters /> },
  ],
};
