import type { Subject } from './policy.ts';

/** Who is acting, as the audit trail records it; `subject` is what the policy decides on. */
export interface Actor {
  subject: Subject | null;
  email: string | null;
  orgName: string | null;
  ip: string | null;
  /** How the request authenticated: a browser session, an API token, or none. */
  via: 'session' | 'token' | 'none' | 'system';
}

export const SYSTEM_ACTOR: Actor = { subject: null, email: 'system', orgName: null, ip: null, via: 'system' };

export function requireSubject(actor: Actor): Subject {
  if (!actor.subject) throw new Error('requireSubject on an anonymous actor: routes must authenticate first');
  return actor.subject;
}
