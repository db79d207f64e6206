// Models: the developer's own models, or (agencies) the models shared with them.
import { Link } from 'react-router-dom';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDate } from '../../format.ts';
import { usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { formatFlop, type ModelSummary } from './types.ts';

export function ModelList() {
  const me = useMe();
  const developer = me.abilities.includes('models:register');
  const title = developer ? 'Models' : 'Models shared with us';
  usePageTitle(title);
  const { data, error, loading } = useResource<{ items: ModelSummary[] }>('/models');
  const items = data?.items ?? [];
  useReportClassification(items.map((m) => m.marking));

  return (
    <>
      <h1>{title}</h1>
      <p className="usa-intro">
        {developer
          ? 'Models your organisation has registered. Only your organisation sees them until you share them, and nothing here can change or delay your release.'
          : 'Models that developers have shared with your agency, through a consultation or a review window.'}
      </p>
      {developer ? (
        <p>
          <Link className="usa-button" to="/models/new">
            Register a model
          </Link>
        </p>
      ) : null}
      <ProblemAlert error={error} />
      {loading ? <Loading /> : null}
      {!loading && !error && items.length === 0 ? (
        <p data-testid="no-models">{developer ? 'You have not registered a model yet.' : 'No model has been shared with your agency.'}</p>
      ) : null}
      {items.length > 0 ? (
        <ScrollTable captionId="models-caption">
          <table className="usa-table usa-table--borderless usa-table--striped width-full" data-testid="models-table">
            <caption id="models-caption">
              {items.length} {items.length === 1 ? 'model' : 'models'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Version</th>
                {developer ? null : <th scope="col">Developer</th>}
                <th scope="col">Modality</th>
                <th scope="col">Training compute</th>
                <th scope="col">Planned release</th>
                <th scope="col">Days to release</th>
                <th scope="col">Status</th>
                <th scope="col">Marking</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/models/${m.id}`}>
                      {m.name}
                    </Link>
                  </th>
                  <td>{m.version}</td>
                  {developer ? null : <td>{m.ownerOrgName}</td>}
                  <td>{m.modality}</td>
                  <td>{formatFlop(m.trainingComputeFlop)}</td>
                  <td>{formatDate(m.plannedReleaseAt)}</td>
                  <td>{m.daysToRelease}</td>
                  <td>{m.status}</td>
                  <td>{m.marking.classification}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}
