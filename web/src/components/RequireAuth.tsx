// Route guard: requires a signed-in user and (optionally) one of some abilities.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { hasAnyAbility } from '../nav.ts';
import { useSession } from '../session.tsx';
import { Loading } from './Loading.tsx';
import { Forbidden } from '../pages/Forbidden.tsx';

export function RequireAuth({ abilities, children }: { abilities?: readonly string[]; children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Loading />;
  if (state.status !== 'signed-in') {
    const next = `${location.pathname}${location.search}`;
    const to = next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
  if (!hasAnyAbility(state.me.abilities, abilities)) return <Forbidden />;
  return <>{children}</>;
}
