import { Link } from 'react-router-dom';
import { usePageTitle } from '../hooks.ts';

export function Forbidden() {
  usePageTitle('Not available');
  return (
    <>
      <h1>This page is not available to you</h1>
      <p className="usa-intro">Your role does not include access to this page.</p>
      <p>
        <Link className="usa-link" to="/">
          Return to your dashboard
        </Link>
      </p>
    </>
  );
}
