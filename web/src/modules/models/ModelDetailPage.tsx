// One model: its fields, versions, disclosure package (upload, per-item sharing, withdrawal).
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { CheckboxField, fieldError, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { DocumentCard } from './DocumentCard.tsx';
import { DocumentUpload } from './DocumentUpload.tsx';
import { EditModelForm } from './EditModelForm.tsx';
import { formatFlop, type Agency, type ModelDetail } from './types.ts';

function NewVersionForm({ model }: { model: ModelDetail }) {
  const navigate = useNavigate();
  const [version, setVersion] = useState('');
  const [release, setRelease] = useState('');
  const [inherit, setInherit] = useState(true);
  const create = useAction(async () => {
    const at = new Date(release);
    const m = await api<ModelDetail>(`/models/${model.id}/versions`, {
      method: 'POST',
      body: { version: version.trim(), plannedReleaseAt: Number.isNaN(at.getTime()) ? release : at.toISOString(), inheritPackage: inherit },
    });
    navigate(`/models/${m.id}`);
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void create.run();
  }
  return (
    <section aria-labelledby="new-version-heading" className="fw-section">
      <h2 id="new-version-heading">Register a new version</h2>
      <ProblemAlert error={create.error} />
      <form className="usa-form" onSubmit={onSubmit} aria-labelledby="new-version-heading">
        <TextField id="version-version" label="Version" required maxLength={64} value={version} onChange={(e) => setVersion(e.target.value)} error={fieldError(create.error, 'version')} />
        <TextField id="version-release" type="datetime-local" label="Planned public release" required value={release} onChange={(e) => setRelease(e.target.value)} error={fieldError(create.error, 'plannedReleaseAt')} />
        <CheckboxField id="version-inherit" label="Copy this version’s disclosure package" description="Copies are new items: share each again as you choose." checked={inherit} onChange={(e) => setInherit(e.target.checked)} />
        <button className="usa-button usa-button--outline margin-top-2" type="submit" disabled={create.pending}>
          Register version
        </button>
      </form>
    </section>
  );
}

export function ModelDetailPage() {
  const { id = '' } = useParams();
  const { data: model, error, loading, reload } = useResource<ModelDetail>(`/models/${encodeURIComponent(id)}`);
  const agencies = useResource<{ items: Agency[] }>(model?.mine ? '/agencies' : null);
  usePageTitle(model ? `${model.name} ${model.version}` : 'Model');
  useReportClassification(model ? [model.marking, ...model.documents.map((d) => d.marking)] : null);

  if (loading && !model) return <><h1>Model</h1><Loading /></>;
  if (!model) {
    return (
      <>
        <h1>Model</h1>
        <ProblemAlert error={error} />
      </>
    );
  }
  const active = model.documents.filter((d) => d.status === 'active');
  const withdrawn = model.documents.filter((d) => d.status === 'withdrawn');

  return (
    <>
      <p>
        <Link className="usa-link" to="/models">
          All models
        </Link>
      </p>
      <h1>
        {model.name} {model.version}
      </h1>
      <p className="usa-intro">
        {model.mine
          ? 'Your model. You alone decide its release; nothing on this page, or anyone else, can delay or condition it.'
          : `Shared with your agency by ${model.ownerOrgName}.`}
      </p>
      <ProblemAlert error={error} />

      <section aria-labelledby="fields-heading" className="fw-section">
        <h2 id="fields-heading">Model ({model.marking.classification})</h2>
        <dl className="fw-summary" data-testid="model-fields">
          <dt>Developer</dt>
          <dd>{model.ownerOrgName}</dd>
          <dt>Modality</dt>
          <dd>{model.modality}</dd>
          <dt>Derives from</dt>
          <dd>{model.lineage ? <Link className="usa-link" to={`/models/${model.lineage.id}`}>{`${model.lineage.name} ${model.lineage.version}`}</Link> : 'None'}</dd>
          <dt>Planned public release</dt>
          <dd>
            {formatDateTime(model.plannedReleaseAt)} ({model.daysToRelease} days)
          </dd>
          <dt>Training compute</dt>
          <dd>{formatFlop(model.trainingComputeFlop)}</dd>
          <dt>How it was estimated</dt>
          <dd>{model.computeEstimationMethod}</dd>
          <dt>Intended deployment</dt>
          <dd>{model.intendedDeployment}</dd>
          <dt>Capability summary</dt>
          <dd>{model.capabilitySummary}</dd>
          <dt>Framework status</dt>
          <dd>{model.status}</dd>
        </dl>
        <ul className="usa-list" aria-label="Related pages">
          <li>
            <Link className="usa-link" to={`/models/${model.id}/consultations`}>
              Risk consultation
            </Link>
          </li>
          <li>
            <Link className="usa-link" to={`/models/${model.id}/determination`}>
              Covered-model determination
            </Link>
          </li>
          <li>
            <Link className="usa-link" to={`/models/${model.id}/window`}>
              Review window
            </Link>
          </li>
        </ul>
        {model.mine ? <EditModelForm key={model.id} model={model} onSaved={reload} /> : null}
      </section>

      <section aria-labelledby="versions-heading" className="fw-section">
        <h2 id="versions-heading">Versions</h2>
        <ScrollTable captionId="versions-caption">
          <table className="usa-table usa-table--borderless">
            <caption id="versions-caption">Versions of this model you may see</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Planned release</th>
                <th scope="col">Status</th>
                <th scope="col">Registered</th>
              </tr>
            </thead>
            <tbody>
              {model.versions.map((v) => (
                <tr key={v.id}>
                  <th scope="row">{v.id === model.id ? <span>{v.version} (this version)</span> : <Link className="usa-link" to={`/models/${v.id}`}>{v.version}</Link>}</th>
                  <td>{formatDate(v.plannedReleaseAt)}</td>
                  <td>{v.status}</td>
                  <td>{formatDate(v.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      </section>

      <section aria-labelledby="package-heading" className="fw-section">
        <h2 id="package-heading">Disclosure package</h2>
        {model.mine ? <p>Each item carries its own marking. Share it, item by item, with the agencies you choose; withdraw it at any time.</p> : null}
        <ProblemAlert error={agencies.error} />
        {active.length === 0 ? <p data-testid="no-documents">{model.mine ? 'No documents yet.' : 'No document has been shared with your agency.'}</p> : null}
        <ul className="usa-card-group display-block" aria-label="Documents">
          {active.map((d) => (
            <DocumentCard key={`${d.id}-${d.updatedAt}`} modelId={model.id} doc={d} agencies={agencies.data?.items ?? []} mine={model.mine} onChanged={reload} />
          ))}
        </ul>
        {withdrawn.length > 0 ? (
          <>
            <h3>Withdrawn</h3>
            <ul className="usa-card-group display-block" aria-label="Withdrawn documents">
              {withdrawn.map((d) => (
                <DocumentCard key={d.id} modelId={model.id} doc={d} agencies={[]} mine={model.mine} onChanged={reload} />
              ))}
            </ul>
          </>
        ) : null}
      </section>

      {model.mine ? <DocumentUpload modelId={model.id} onUploaded={reload} /> : null}
      {model.mine ? <NewVersionForm key={model.id} model={model} /> : null}
    </>
  );
}
