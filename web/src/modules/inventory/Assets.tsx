// An operator's assets (systems and sites) with their current component counts, and a form to add one.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { useReportClassification } from '../../classification.tsx';
import { fieldError, SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import type { Asset } from './types.ts';

function CreateAssetForm() {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'system' | 'site'>('system');
  const [description, setDescription] = useState('');
  const create = useAction(async () => {
    const a = await api<Asset>('/inventory/assets', { method: 'POST', body: { name: name.trim(), kind, ...(description.trim() ? { description: description.trim() } : {}) } });
    navigate(`/inventory/assets/${a.id}`);
  });
  return (
    <form
      className="usa-form usa-form--large"
      aria-labelledby="new-asset-h"
      onSubmit={(e) => {
        e.preventDefault();
        void create.run();
      }}
    >
      <h2 id="new-asset-h">Add an asset</h2>
      <ProblemAlert error={create.error} />
      <TextField id="asset-name" label="Name" hint="A system (for example the electronic health record) or a site." required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(create.error, 'name')} />
      <SelectField id="asset-kind" label="Kind" value={kind} onChange={(e) => setKind(e.target.value as 'system' | 'site')}>
        <option value="system">System</option>
        <option value="site">Site</option>
      </SelectField>
      <TextAreaField id="asset-description" label="Description (optional)" maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} error={fieldError(create.error, 'description')} />
      <button className="usa-button" type="submit" disabled={create.pending}>
        Add asset
      </button>
    </form>
  );
}

export function AssetList() {
  usePageTitle('Inventory');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const { data, error, loading } = useResource<{ items: Asset[] }>('/inventory/assets');
  return (
    <>
      <h1>Inventory</h1>
      <p className="usa-intro">Your organisation’s systems and sites and the software they run. Upload an SBOM to each: Forewarn matches it against advisories and tells you what to patch.</p>
      <p>
        <Link to="/inventory/profile">Operator profile and notification channels</Link>
      </p>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p>No assets yet. Add the first one below.</p> : null}
      {data && data.items.length > 0 ? (
        <ScrollTable captionId="assets-caption">
          <table className="usa-table usa-table--borderless" data-testid="assets">
            <caption id="assets-caption">Assets</caption>
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col">Kind</th>
                <th scope="col">Components</th>
                <th scope="col">SBOM</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    <Link to={`/inventory/assets/${a.id}`}>{a.name}</Link>
                  </th>
                  <td>{a.kind}</td>
                  <td>{a.componentCount}</td>
                  <td>{a.currentSbomId ? 'uploaded' : 'none yet'}</td>
                  <td>{formatDateTime(a.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      <CreateAssetForm />
    </>
  );
}
