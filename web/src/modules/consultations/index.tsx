import type { ModuleUi } from '../types.ts';
import { ConsultationCase } from './ConsultationCase.tsx';
import { ConsultationQueue } from './ConsultationQueue.tsx';
import { ModelConsultations } from './ModelConsultations.tsx';

export const ui: ModuleUi = {
  nav: [{ path: '/consultations', label: 'Consultations', abilities: ['consultations:respond'], description: 'Risk consultations assigned to your agency, by days to release.' }],
  routes: [
    { path: '/consultations', navPath: '/consultations', element: <ConsultationQueue /> },
    { path: '/consultations/:id', navPath: '/consultations', element: <ConsultationCase /> },
    // The developer's side lives under its model; the models module's nav row guards it.
    { path: '/models/:id/consultations', navPath: '/models', element: <ModelConsultations /> },
  ],
};
