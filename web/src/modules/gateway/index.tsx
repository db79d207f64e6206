import type { ModuleUi } from '../types.ts';
import { DeveloperModels } from './DeveloperModels.tsx';
import { ModelGatewayPage } from './ModelGatewayPage.tsx';
import { MyAccessPage } from './MyAccessPage.tsx';
import { TranscriptPage, TranscriptsPage } from './TranscriptsPage.tsx';

export const ui: ModuleUi = {
  nav: [
    { path: '/gateway', label: 'Model gateway', abilities: ['windows:manage'], description: 'Your models’ upstream endpoints, the keys reviewers hold, their limits and usage.' },
    { path: '/gateway/keys', label: 'Gateway access', abilities: ['evaluations:run', 'determinations:work'], description: 'Keys to use models under review through the gateway, and your transcripts.' },
  ],
  routes: [
    { path: '/gateway', navPath: '/gateway', element: <DeveloperModels /> },
    { path: '/models/:id/gateway', navPath: '/gateway', element: <ModelGatewayPage /> },
    { path: '/gateway/keys', navPath: '/gateway/keys', element: <MyAccessPage /> },
    { path: '/gateway/transcripts', navPath: '/gateway/keys', element: <TranscriptsPage /> },
    { path: '/gateway/transcripts/:id', navPath: '/gateway/keys', element: <TranscriptPage /> },
  ],
};
