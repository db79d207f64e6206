// The developer's models, each with a link to its gateway page.
import { Link } from 'react-router-dom';
import { useReportClassification } from '../../classification.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDate } from '../../format.ts';
import { usePageTitle, useResource } from '../../hooks.ts';
import { pageMarking, type RecordMarking } from './types.ts';

interface ModelRow {
  id: string;
  name: string;
  version: string;
  status: string;
  plannedReleaseAt: string;
  mine: boolean;
  marking: RecordMarking;
}

export function DeveloperModels() {
  usePageTitle('Model gateway');
  const { data, error, loading } = useResource<{ items: ModelRow[] }>('/models');
  const items = (data?.items ?? []).filter((m) => m.mine);
  useReportClassification(data ? (items.length ? items.map((m) => pageMarking(m.marking)) : { classification: 'UNCLASSIFIED' }) : null);
  return (
    <>
      <h1>Model gateway</h1>
      <p className="usa-intro">
        During a review window, agencies use your model through the Forewarn gateway: they never hold your credentials, they stay within the limits you set, every
        request is recorded, and you can cut any key off at once.
      </p>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && items.length === 0 ? <p data-testid="no-models">You have not registered a model yet.</p> : null}
      {items.length > 0 ? (
        <ScrollTable captionId="gateway-models-caption">
          <table className="usa-table usa-table--borderless" data-testid="gateway-models">
            <caption id="gateway-models-caption">Your models</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col">Planned release</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/models/${m.id}/gateway`}>
                      {m.name} {m.version}
                      <span className="usa-sr-only">: gateway</span>
                    </Link>
                  </th>
                  <td>{m.status}</td>
                  <td>{formatDate(m.plannedReleaseAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}
