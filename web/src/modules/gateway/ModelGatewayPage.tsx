// One model's gateway, for its developer: the upstream endpoint and its connection test, the access
// its review windows give (with limits), the keys issued under them (revocable at once), and usage.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useReportClassification } from '../../classification.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { usePageTitle, useResource } from '../../hooks.ts';
import { EndpointSection } from './EndpointSection.tsx';
import { GrantLimitsSection } from './GrantLimitsSection.tsx';
import { KeysTable } from './KeysTable.tsx';
import { UsageSection } from './UsageSection.tsx';
import { pageMarking, type GatewayGrant, type GatewayKey, type RecordMarking } from './types.ts';

interface ModelHead {
  id: string;
  name: string;
  version: string;
  mine?: boolean;
  marking: RecordMarking;
}

export function ModelGatewayPage() {
  const { id = '' } = useParams();
  const modelId = encodeURIComponent(id);
  const model = useResource<ModelHead>(`/models/${modelId}`);
  const grants = useResource<{ items: GatewayGrant[] }>(`/models/${modelId}/gateway/grants`);
  const keys = useResource<{ items: GatewayKey[] }>(`/models/${modelId}/gateway/keys`);
  const [usageTick, setUsageTick] = useState(0);
  const name = model.data ? `${model.data.name} ${model.data.version}` : '';
  usePageTitle(name ? `Model gateway: ${name}` : 'Model gateway');
  useReportClassification(model.data ? pageMarking(model.data.marking) : null);

  if (model.loading && !model.data) {
    return (
      <>
        <h1>Model gateway</h1>
        <Loading />
      </>
    );
  }
  if (!model.data) {
    return (
      <>
        <h1>Model gateway</h1>
        <ProblemAlert error={model.error} />
      </>
    );
  }
  return (
    <>
      <p>
        <Link className="usa-link" to="/gateway">
          All your models
        </Link>
        {' · '}
        <Link className="usa-link" to={`/models/${modelId}/window`}>
          Review window
        </Link>
      </p>
      <h1>Model gateway: {name}</h1>
      <p className="usa-intro">How reviewers reach this model during its review windows: through Forewarn, within limits you set, every request recorded, and access you can cut off at once.</p>
      <EndpointSection modelId={modelId} />
      <GrantLimitsSection grants={grants} />
      <section aria-labelledby="keys-heading" className="fw-section" data-testid="keys-section">
        <h2 id="keys-heading">Keys issued</h2>
        <p>Reviewers issue keys for themselves under the access above. Revoking a key refuses its very next request and cuts its open streams.</p>
        <ProblemAlert error={keys.error} />
        {keys.loading && !keys.data ? <Loading /> : null}
        {keys.data ? (
          <KeysTable
            keys={keys.data.items}
            view="developer"
            caption="Gateway keys on this model"
            onChanged={() => {
              keys.reload();
              grants.reload();
              setUsageTick((t) => t + 1);
            }}
          />
        ) : null}
      </section>
      <UsageSection modelId={modelId} refreshKey={usageTick} />
    </>
  );
}
