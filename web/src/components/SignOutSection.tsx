// Account → sign out / sign out everywhere.
import { useNavigate } from 'react-router-dom';
import { api } from '../api.ts';
import { useAction } from '../hooks.ts';
import { useSession } from '../session.tsx';
import { ProblemAlert } from './ProblemAlert.tsx';

export function SignOutSection() {
  const { signedOut } = useSession();
  const navigate = useNavigate();
  const logout = useAction(async (everywhere: boolean) => {
    await api(everywhere ? '/auth/logout-everywhere' : '/auth/logout', { method: 'POST', quiet401: true });
    signedOut();
    navigate('/sign-in', { replace: true });
  });

  return (
    <section aria-labelledby="signout-heading" className="fw-section">
      <h2 id="signout-heading">Sign out</h2>
      <p>“Sign out everywhere” ends every session of your account, on every device. API tokens are not affected.</p>
      <ProblemAlert error={logout.error} />
      <div className="usa-button-group">
        <button className="usa-button" type="button" onClick={() => void logout.run(false)} disabled={logout.pending}>
          Sign out
        </button>
        <button className="usa-button usa-button--secondary" type="button" onClick={() => void logout.run(true)} disabled={logout.pending}>
          Sign out everywhere
        </button>
      </div>
    </section>
  );
}
