import { MODULES } from './modules/index.ts';
// The navigation table. An item is shown when the signed-in user holds ANY of its
// abilities (from GET /api/v1/me → abilities); items without abilities are always shown.
// Later modules add rows here; routes reuse the same table for their access checks.

/** The side navigation's groups, in the order shown (Home stands above them, ungrouped). */
export const NAV_GROUPS = ['Review', 'Clearinghouse', 'Operators', 'Programs', 'Administration', 'You'] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

export interface NavItem {
  path: string;
  label: string;
  /** Where the side navigation lists it; domain modules' rows get theirs in modules/index.ts. */
  group?: NavGroup;
  /** Shown when the user has any of these abilities; omit for "every signed-in user". */
  abilities?: readonly string[];
  /** Short description for the dashboard. */
  description: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', label: 'Home', description: 'Your dashboard.' },
  // Domain modules (web/src/modules/*) come first after Home: they are the work; the rest is upkeep.
  ...MODULES.flatMap((m) => m.nav),
  {
    path: '/organisations',
    group: 'Administration',
    label: 'Organisations',
    abilities: ['organisations:manage', 'users:manage'],
    description: 'Organisations, their users and invitations.',
  },
  {
    path: '/audit',
    group: 'Administration',
    label: 'Audit trail',
    abilities: ['audit:read'],
    description: 'Search, export and verify the tamper-evident audit trail.',
  },
  {
    path: '/admin/outbox',
    group: 'Administration',
    label: 'Mail outbox',
    abilities: ['outbox:read'],
    description: 'Email queued and sent by Forewarn.',
  },
  {
    path: '/admin/jobs',
    group: 'Administration',
    label: 'Jobs',
    abilities: ['jobs:read'],
    description: 'Background jobs that failed permanently (dead letters).',
  },
  { path: '/notifications', group: 'You', label: 'Notifications', description: 'What changed in your consultations, determinations and review windows.' },
  { path: '/account', group: 'You', label: 'Account', description: 'Password, two-factor authentication, API tokens and sign-out.' },
];

export function hasAnyAbility(abilities: readonly string[], required: readonly string[] | undefined): boolean {
  if (!required || required.length === 0) return true;
  return required.some((ability) => abilities.includes(ability));
}

export function visibleNavItems(abilities: readonly string[]): NavItem[] {
  return NAV_ITEMS.filter((item) => hasAnyAbility(abilities, item.abilities));
}

/** The abilities required for a route, taken from the nav table (undefined: any signed-in user). */
export function abilitiesFor(path: string): readonly string[] | undefined {
  return NAV_ITEMS.find((item) => item.path === path)?.abilities;
}

export interface NavSection {
  group: NavGroup;
  items: NavItem[];
}

/** Visible items by group, in NAV_GROUPS order; a group with nothing visible is left out. */
export function navSections(items: readonly NavItem[]): { home: NavItem | undefined; sections: NavSection[] } {
  const home = items.find((item) => item.path === '/');
  const sections = NAV_GROUPS.map((group) => ({ group, items: items.filter((item) => item.path !== '/' && (item.group ?? 'Review') === group) }));
  return { home, sections: sections.filter((section) => section.items.length > 0) };
}
