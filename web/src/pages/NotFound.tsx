import { Link } from 'react-router-dom';
import { usePageTitle } from '../hooks.ts';

export function NotFound() {
  usePageTitle('Page not found');
  return (
    <>
      <h1>Page not found</h1>
      <p className="usa-intro">We could not find the page you asked for.</p>
      <p>
        <Link className="usa-link" to="/">
          Go to the Forewarn home page
        </Link>
      </p>
    </>
  );
}
