import { InvalidTransitionError } from '../../lib/errors.ts';

// The life of one disclosure document. The developer may amend, share or withdraw it while it is
// active; withdrawal is final (its grants are revoked and its content erased). Nothing here concerns
// the model's release, which only the developer controls (reviews module).

export const DOCUMENT_STATES = ['active', 'withdrawn'] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];

export const DOCUMENT_EVENTS = ['amend', 'share', 'withdraw', 'inherit'] as const;
export type DocumentEvent = (typeof DOCUMENT_EVENTS)[number];

export const DOCUMENT_TRANSITIONS: Record<DocumentState, Partial<Record<DocumentEvent, DocumentState>>> = {
  active: { amend: 'active', share: 'active', withdraw: 'withdrawn', inherit: 'active' },
  withdrawn: {},
};

export function documentTransition(state: DocumentState, event: DocumentEvent): DocumentState {
  const next = DOCUMENT_TRANSITIONS[state][event];
  if (!next) throw new InvalidTransitionError('disclosure document', state, event);
  return next;
}

export function documentState(row: { withdrawnAt: Date | null }): DocumentState {
  return row.withdrawnAt ? 'withdrawn' : 'active';
}
