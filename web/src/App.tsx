// Routes. Access checks reuse the nav table (nav.ts) so the nav and the guards agree.
import type { ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { ClassificationProvider } from './classification.tsx';
import { Layout } from './components/Layout.tsx';
import { RequireAuth } from './components/RequireAuth.tsx';
import { abilitiesFor } from './nav.ts';
import { AcceptInvite } from './pages/AcceptInvite.tsx';
import { Account } from './pages/Account.tsx';
import { AuditTrail } from './pages/AuditTrail.tsx';
import { Home } from './pages/Home.tsx';
import { Jobs } from './pages/Jobs.tsx';
import { NotFound } from './pages/NotFound.tsx';
import { OrganisationDetail } from './pages/OrganisationDetail.tsx';
import { Organisations } from './pages/Organisations.tsx';
import { Outbox } from './pages/Outbox.tsx';
import { Notifications } from './pages/Notifications.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { SessionProvider } from './session.tsx';
import { MODULES } from './modules/index.ts';

/** A signed-in route whose required abilities come from the nav table entry `navPath`. */
function guarded(navPath: string, page: ReactNode) {
  return <RequireAuth abilities={abilitiesFor(navPath)}>{page}</RequireAuth>;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route path="/sign-in" element={<SignIn />} />
        <Route path="/accept-invite" element={<AcceptInvite />} />
        <Route index element={guarded('/', <Home />)} />
        <Route path="/account" element={guarded('/account', <Account />)} />
        <Route path="/notifications" element={guarded('/notifications', <Notifications />)} />
        <Route path="/organisations" element={guarded('/organisations', <Organisations />)} />
        <Route path="/organisations/:id" element={guarded('/organisations', <OrganisationDetail />)} />
        <Route path="/audit" element={guarded('/audit', <AuditTrail />)} />
        <Route path="/admin/outbox" element={guarded('/admin/outbox', <Outbox />)} />
        <Route path="/admin/jobs" element={guarded('/admin/jobs', <Jobs />)} />
        {MODULES.flatMap((m) => m.routes).map((r) => (
          <Route key={r.path} path={r.path} element={r.public ? r.element : guarded(r.navPath, r.element)} />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <ClassificationProvider>
          <AppRoutes />
        </ClassificationProvider>
      </SessionProvider>
    </BrowserRouter>
  );
}
