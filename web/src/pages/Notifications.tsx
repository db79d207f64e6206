// In-app notifications: what changed in the reader's consultations, determinations and windows.
// Titles and texts are unclassified by construction; the link opens the record under the usual rules.
import { Link } from 'react-router-dom';
import { api } from '../api.ts';
import { Loading } from '../components/Loading.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { formatDateTime } from '../format.ts';
import { useAction, usePageTitle, useResource } from '../hooks.ts';

interface NotificationItem {
  id: string;
  title: string;
  body: string;
  link: string | null;
  readAt: string | null;
  createdAt: string;
}

export function Notifications() {
  usePageTitle('Notifications');
  const list = useResource<{ items: NotificationItem[] }>('/notifications');
  const markRead = useAction(async (id: string) => {
    await api(`/notifications/${id}/read`, { method: 'POST' });
    list.reload();
  });
  const items = list.data?.items ?? [];
  const unread = items.filter((n) => !n.readAt).length;

  return (
    <>
      <h1>Notifications</h1>
      <p className="usa-intro">{unread === 0 ? 'You have no unread notifications.' : `${unread} unread.`}</p>
      <ProblemAlert error={list.error ?? markRead.error} />
      {list.loading && !list.data ? (
        <Loading label="Loading notifications…" />
      ) : items.length === 0 ? (
        <p>Nothing yet. Changes to your consultations, determinations and review windows appear here.</p>
      ) : (
        <ul className="usa-collection" data-testid="notifications">
          {items.map((n) => (
            <li key={n.id} className="usa-collection__item">
              <div className="usa-collection__body">
                <h2 className="usa-collection__heading">
                  {n.link ? <Link to={n.link}>{n.title}</Link> : n.title}
                  {n.readAt ? null : <span className="usa-tag margin-left-1">New</span>}
                </h2>
                <p className="usa-collection__description">{n.body}</p>
                <ul className="usa-collection__meta" aria-label="More information">
                  <li className="usa-collection__meta-item">{formatDateTime(n.createdAt)}</li>
                  {n.readAt ? null : (
                    <li className="usa-collection__meta-item">
                      <button type="button" className="usa-button usa-button--unstyled" onClick={() => markRead.run(n.id)} disabled={markRead.pending}>
                        Mark read<span className="usa-sr-only">: {n.title}</span>
                      </button>
                    </li>
                  )}
                </ul>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
