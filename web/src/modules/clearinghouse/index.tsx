import type { ModuleUi } from '../types.ts';
import { AdvisoryPage, ManageAdvisories, PublicAdvisories } from './Advisories.tsx';
import { CasePage } from './CasePage.tsx';
import { CaseBoard, VendorCases, VendorProducts } from './Cases.tsx';
import { ValidationQueue } from './Queue.tsx';
import { ReportPage, SubmitReportPage } from './Reports.tsx';
import { VulnerabilityPage } from './Workspace.tsx';

export const ui: ModuleUi = {
  nav: [
    {
      path: '/clearinghouse/report',
      label: 'Report a vulnerability',
      abilities: ['clearinghouse:report'],
      description: 'Send a software vulnerability (SARIF, OSV, CSAF, CycloneDX VEX or a Forewarn report) to Treasury’s clearinghouse and follow it.',
    },
    {
      path: '/clearinghouse/queue',
      label: 'Validation queue',
      abilities: ['clearinghouse:validate'],
      description: 'Reported vulnerabilities by service-level target: triage, validate, score and deduplicate them.',
    },
    {
      path: '/clearinghouse/cases',
      label: 'Coordination cases',
      abilities: ['clearinghouse:coordinate'],
      description: 'Cases with vendors under embargo: embargo clocks, statements, silent vendors and the thread.',
    },
    {
      path: '/clearinghouse/advisories',
      label: 'Publish advisories',
      abilities: ['advisories:publish'],
      description: 'Draft, publish, revise and withdraw signed CSAF 2.0 and OSV advisories with a TLP marking.',
    },
    {
      path: '/vendor/cases',
      label: 'Vulnerability cases',
      abilities: ['vendor:respond'],
      description: 'Vulnerabilities in your products under embargo: state per product whether it is affected, and talk with the coordinators.',
    },
    { path: '/advisories', label: 'Security advisories', description: 'Published clearinghouse advisories: public ones and those shared with your organisation.' },
  ],
  routes: [
    { path: '/clearinghouse/report', navPath: '/clearinghouse/report', element: <SubmitReportPage /> },
    // Reporters follow their own reports; analysts open anyone's (the API decides which).
    { path: '/clearinghouse/reports/:id', navPath: '/clearinghouse/report', element: <ReportPage /> },
    { path: '/clearinghouse/vulnerabilities/:id', navPath: '/clearinghouse/report', element: <VulnerabilityPage /> },
    { path: '/clearinghouse/queue', navPath: '/clearinghouse/queue', element: <ValidationQueue /> },
    { path: '/clearinghouse/cases', navPath: '/clearinghouse/cases', element: <CaseBoard /> },
    { path: '/clearinghouse/cases/:id', navPath: '/clearinghouse/cases', element: <CasePage /> },
    { path: '/clearinghouse/advisories', navPath: '/clearinghouse/advisories', element: <ManageAdvisories /> },
    { path: '/vendor/cases', navPath: '/vendor/cases', element: <VendorCases /> },
    { path: '/vendor/cases/:id', navPath: '/vendor/cases', element: <CasePage /> },
    { path: '/vendor/products', navPath: '/vendor/cases', element: <VendorProducts /> },
    { path: '/advisories', navPath: '/advisories', element: <PublicAdvisories />, public: true },
    { path: '/advisories/:ref', navPath: '/advisories', element: <AdvisoryPage />, public: true },
  ],
};
