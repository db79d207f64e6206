// Page shell: classification banners, skip link, USWDS gov banner, header + role-aware nav,
// main landmark, footer.
import { useEffect, useRef, useState } from 'react';
import type { MouseEvent } from 'react';
import { GovBanner, Header, NavMenuButton, PrimaryNav, Title } from '@trussworks/react-uswds';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { visibleNavItems } from '../nav.ts';
import { useSession } from '../session.tsx';
import { ClassificationBanner } from './ClassificationBanner.tsx';
import { ClearanceWarning } from './ClearanceWarning.tsx';

function useFocusMainOnNavigate() {
  const location = useLocation();
  const interacted = useRef(false);

  useEffect(() => {
    const mark = () => {
      interacted.current = true;
    };
    window.addEventListener('keydown', mark, true);
    window.addEventListener('pointerdown', mark, true);
    return () => {
      window.removeEventListener('keydown', mark, true);
      window.removeEventListener('pointerdown', mark, true);
    };
  }, []);

  useEffect(() => {
    // Only after the user has done something: a redirect while the app loads must leave the
    // skip link as the first Tab stop. Then move focus to the new page's content so screen-reader
    // and keyboard users land there.
    if (!interacted.current) return;
    document.getElementById('main-content')?.focus({ preventScroll: false });
  }, [location.pathname]);
}

export function Layout() {
  const { me } = useSession();
  const [expanded, setExpanded] = useState(false);
  const location = useLocation();
  useFocusMainOnNavigate();

  useEffect(() => setExpanded(false), [location.pathname]);

  useEffect(() => {
    if (!expanded) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setExpanded(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [expanded]);

  function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    const main = document.getElementById('main-content');
    main?.focus();
    main?.scrollIntoView();
  }

  const items = me
    ? visibleNavItems(me.abilities).map((item) => (
        <NavLink
          key={item.path}
          to={item.path}
          end={item.path === '/'}
          className={({ isActive }) => `usa-nav-link${isActive ? ' usa-current' : ''}`}
        >
          <span>{item.label}</span>
        </NavLink>
      ))
    : [];

  return (
    <>
      <a className="usa-skipnav" href="#main-content" onClick={skipToMain}>
        Skip to main content
      </a>
      <ClassificationBanner position="top" />
      <GovBanner />
      <div className={`usa-overlay${expanded ? ' is-visible' : ''}`} onClick={() => setExpanded(false)} />
      <Header basic>
        <div className="usa-nav-container">
          <div className="usa-navbar">
            <Title>
              <Link to="/" title="Forewarn home">
                Forewarn
              </Link>
            </Title>
            {me ? (
              <p className="fw-signed-in fw-desktop-only" data-testid="signed-in-as">
                <span className="usa-sr-only">Signed in as </span>
                {me.user.name}, {me.organisation.name}
              </p>
            ) : null}
            {me ? <NavMenuButton label="Menu" onClick={() => setExpanded((v) => !v)} /> : null}
          </div>
          {me ? (
            <PrimaryNav
              aria-label="Primary navigation"
              items={items}
              mobileExpanded={expanded}
              onToggleMobileNav={() => setExpanded((v) => !v)}
            >
              <p className="fw-signed-in fw-mobile-only">
                Signed in as {me.user.name}, {me.organisation.name}
              </p>
            </PrimaryNav>
          ) : null}
        </div>
      </Header>
      <main id="main-content" tabIndex={-1} className="fw-main">
        <div className="grid-container">
          {me ? <ClearanceWarning me={me} /> : null}
          <Outlet />
        </div>
      </main>
      <footer className="usa-footer usa-footer--slim">
        <div className="usa-footer__primary-section">
          <div className="grid-container fw-footer">
            <p className="margin-0">
              <strong>Forewarn</strong>: voluntary pre-release review of frontier AI models and the AI cybersecurity
              clearinghouse.
            </p>
            <ul className="usa-list usa-list--unstyled fw-footer__links">
              <li>
                <a className="usa-footer__primary-link" href="/docs">
                  API documentation
                </a>
              </li>
            </ul>
          </div>
        </div>
      </footer>
      <ClassificationBanner position="bottom" />
    </>
  );
}
