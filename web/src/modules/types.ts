import type { ReactNode } from 'react';
import type { NavItem } from '../nav.ts';

/** What a domain module adds to the web UI: navigation rows and the routes they guard. */
export interface ModuleUi {
  nav: NavItem[];
  /**
   * `navPath` names the nav row whose abilities guard the route; `public` routes (published
   * opportunities, postings, the transparency report) render for anyone, signed in or not.
   */
  routes: { path: string; navPath: string; element: ReactNode; public?: boolean }[];
}
