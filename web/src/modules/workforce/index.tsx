import type { ModuleUi } from '../types.ts';
import { CandidateHome, PostingList, PostingPage } from './Careers.tsx';
import { HiringDashboard, HiringHome, PostingApplicants } from './Hiring.tsx';

// Postings are public (also served signed out as JSON under /api/v1/public/job-postings); in the web
// app they are shown to every signed-in user.
export const ui: ModuleUi = {
  nav: [
    { path: '/careers', label: 'Job postings', description: 'Cyber and AI positions, including the U.S. Tech Force.' },
    { path: '/careers/applications', label: 'My job applications', abilities: ['hiring:apply'], description: 'Your profile and where each of your applications stands.' },
    { path: '/hiring', label: 'Hiring', abilities: ['hiring:manage'], description: 'Post positions, move applicants through the stages, and see the pipeline.' },
  ],
  routes: [
    { path: '/careers', navPath: '/careers', element: <PostingList />, public: true },
    { path: '/careers/applications', navPath: '/careers/applications', element: <CandidateHome /> },
    { path: '/careers/:id', navPath: '/careers', element: <PostingPage />, public: true },
    { path: '/hiring', navPath: '/hiring', element: <HiringHome /> },
    { path: '/hiring/postings/:id', navPath: '/hiring', element: <PostingApplicants /> },
    { path: '/hiring/dashboard', navPath: '/hiring', element: <HiringDashboard /> },
  ],
};
