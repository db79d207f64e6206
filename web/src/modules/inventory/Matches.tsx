// The advisories an asset's current components fall under (from matching).
import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import type { Match } from './types.ts';

export function AssetMatches({ assetId, refresh }: { assetId: string; refresh: number }) {
  const { data, error, loading, reload } = useResource<{ items: Match[]; total: number }>('/matching/matches', { assetId, state: 'open', limit: 200 });
  // `refresh` changes after an upload or an edit; matching runs in the background, so ask again a few times.
  useEffect(() => {
    if (!refresh) return;
    const timers = [1_500, 4_000, 8_000].map((ms) => setTimeout(reload, ms));
    return () => timers.forEach(clearTimeout);
  }, [refresh, reload]);
  return (
    <section aria-labelledby="matches-h" className="fw-section">
      <h2 id="matches-h">Advisories that affect this asset</h2>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p data-testid="no-matches">No advisory names a component of this asset.</p> : null}
      {data && data.items.length > 0 ? (
        <ScrollTable captionId="matches-caption">
          <table className="usa-table usa-table--borderless" data-testid="matches">
            <caption id="matches-caption">Open matches ({data.total})</caption>
            <thead>
              <tr>
                <th scope="col">Advisory</th>
                <th scope="col">Severity</th>
                <th scope="col">Component</th>
                <th scope="col">Fixed in</th>
                <th scope="col">Matched</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    {m.advisory.externalId}
                    <span className="display-block text-normal">{m.advisory.title}</span>
                  </th>
                  <td>{m.advisory.severity ?? '—'}</td>
                  <td className="fw-mono">
                    {m.package}
                    {m.version ? `@${m.version}` : ''}
                    {m.verdict === 'unknown' ? ' (version not placed: check by hand)' : ''}
                  </td>
                  <td>{m.fixedIn ?? '—'}</td>
                  <td>{formatDateTime(m.matchedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      <p>
        <button className="usa-button usa-button--unstyled margin-right-2" type="button" onClick={reload}>
          Check for matches again
        </button>
        <Link to="/remediation">Track the remediation of each advisory</Link>
      </p>
    </section>
  );
}
