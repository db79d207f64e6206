// Page shell: classification banners, skip link, USWDS gov banner, header (who is signed in),
// role-aware side navigation grouped by area of work, main landmark, footer.
import { useEffect, useRef } from 'react';
import type { MouseEvent } from 'react';
import { GovBanner, Header, Title } from '@trussworks/react-uswds';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { navSections, visibleNavItems } from '../nav.ts';
import type { NavItem } from '../nav.ts';
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

/** The one item the current page belongs to: the longest path that is the page or one of its parents. */
function currentItemPath(items: readonly NavItem[], pathname: string): string | undefined {
  const within = (path: string) => pathname === path || (path !== '/' && pathname.startsWith(`${path}/`));
  return items.filter((item) => within(item.path)).sort((a, b) => b.path.length - a.path.length)[0]?.path;
}

function SideNav({ abilities }: { abilities: readonly string[] }) {
  const { pathname } = useLocation();
  const visible = visibleNavItems(abilities);
  const { home, sections } = navSections(visible);
  const current = currentItemPath(visible, pathname);
  const link = (item: NavItem) => (
    <li key={item.path} className="usa-sidenav__item">
      <Link to={item.path} className={item.path === current ? 'usa-current' : undefined} aria-current={item.path === current ? 'page' : undefined}>
        {item.label}
      </Link>
    </li>
  );
  return (
    <nav aria-label="Primary navigation" className="fw-sidenav">
      {home ? <ul className="usa-sidenav fw-sidenav__home">{link(home)}</ul> : null}
      <div className="fw-sidenav__groups">
        {sections.map(({ group, items }) => {
          const id = `nav-group-${group.toLowerCase()}`;
          return (
            <div key={group} className="fw-sidenav__group">
              <h2 id={id} className="fw-sidenav__heading">
                {group}
              </h2>
              <ul className="usa-sidenav" aria-labelledby={id}>
                {items.map(link)}
              </ul>
            </div>
          );
        })}
      </div>
    </nav>
  );
}

export function Layout() {
  const { me } = useSession();
  useFocusMainOnNavigate();

  function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    const main = document.getElementById('main-content');
    main?.focus();
    main?.scrollIntoView();
  }

  return (
    <>
      <a className="usa-skipnav" href="#main-content" onClick={skipToMain}>
        Skip to main content
      </a>
      <ClassificationBanner position="top" />
      <GovBanner />
      <Header basic className="fw-header">
        <div className="usa-nav-container fw-header__bar">
          <Title>
            <Link to="/" title="Forewarn home">
              Forewarn
            </Link>
          </Title>
          {me ? (
            <p className="fw-signed-in" data-testid="signed-in-as">
              <span className="usa-sr-only">Signed in as </span>
              <span className="fw-signed-in__who">
                {me.user.name}, {me.organisation.name}
              </span>
              {/* Sign-out lives on the account page with "sign out everywhere". */}
              <Link className="usa-link fw-signed-in__account" to="/account">
                Account and sign-out
              </Link>
            </p>
          ) : null}
        </div>
      </Header>
      <div className="grid-container fw-shell">
        <div className="grid-row">
          {me ? (
            <div className="tablet-lg:grid-col-3 desktop:grid-col-auto fw-shell__nav">
              <SideNav abilities={me.abilities} />
            </div>
          ) : null}
          <main id="main-content" tabIndex={-1} className={`fw-main ${me ? 'tablet-lg:grid-col-9 desktop:grid-col-fill' : 'grid-col-12'}`}>
            {me ? <ClearanceWarning me={me} /> : null}
            <Outlet />
          </main>
        </div>
      </div>
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
