import type { ModuleUi } from '../types.ts';
import { ApplicationList, ApplicationPage } from './Applications.tsx';
import { AwardList, AwardPage } from './Awards.tsx';
import { ManageOpportunities, ManageOpportunity } from './Officer.tsx';
import { OpportunityList, OpportunityPage } from './Opportunities.tsx';
import { ReviewAssignments } from './Reviews.tsx';
import { Catalogue, Enrolments } from './Services.tsx';

// Funding opportunities and the services catalogue are public (also served signed out as JSON under
// /api/v1/public/…); in the web app they are shown to every signed-in user.
export const ui: ModuleUi = {
  nav: [
    { path: '/funding', label: 'Funding opportunities', description: 'Published grants for AI vulnerability-detection tools.' },
    { path: '/grants/applications', label: 'Grant applications', abilities: ['grants:apply', 'grants:manage', 'grants:review'], description: 'Drafts, submissions, outcomes and reviewers’ comments.' },
    { path: '/grants/manage', label: 'Manage opportunities', abilities: ['grants:manage'], description: 'Draft and publish funding opportunities; rank applications; award within the funds.' },
    { path: '/grants/reviews', label: 'Grant reviews', abilities: ['grants:review'], description: 'Declare conflicts and score the applications assigned to you.' },
    { path: '/grants/awards', label: 'Awards', abilities: ['grants:manage', 'grants:apply'], description: 'Milestones, progress reports, payments, the funded tool and closeout.' },
    { path: '/services', label: 'Defensive-tool services', description: 'AI-enabled defensive tools and services offered to critical-infrastructure operators.' },
    { path: '/services/enrolments', label: 'Service enrolments', abilities: ['enrolments:request', 'catalogue:manage'], description: 'Enrolment requests, and coverage of small operators.' },
  ],
  routes: [
    { path: '/funding', navPath: '/funding', element: <OpportunityList />, public: true },
    { path: '/funding/:id', navPath: '/funding', element: <OpportunityPage />, public: true },
    { path: '/grants/applications', navPath: '/grants/applications', element: <ApplicationList /> },
    { path: '/grants/applications/:id', navPath: '/grants/applications', element: <ApplicationPage /> },
    { path: '/grants/manage', navPath: '/grants/manage', element: <ManageOpportunities /> },
    { path: '/grants/manage/:id', navPath: '/grants/manage', element: <ManageOpportunity /> },
    { path: '/grants/reviews', navPath: '/grants/reviews', element: <ReviewAssignments /> },
    { path: '/grants/awards', navPath: '/grants/awards', element: <AwardList /> },
    { path: '/grants/awards/:id', navPath: '/grants/awards', element: <AwardPage /> },
    { path: '/services', navPath: '/services', element: <Catalogue />, public: true },
    { path: '/services/enrolments', navPath: '/services/enrolments', element: <Enrolments /> },
  ],
};
