// Case lists: the coordinators' board (embargo clocks, silent vendors) and a vendor's own cases, and
// the vendor's registered products that bring it into cases.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api.ts';
import { fieldError, SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { remaining, type CaseListItem, type EmbargoClock, type VendorCaseListItem, type VendorProduct } from './coordination-types.ts';

export function EmbargoCell({ clock }: { clock: EmbargoClock }) {
  return (
    <>
      <span className="display-block">{clock.display}</span>
      <span className={clock.active ? 'text-bold' : 'text-base'}>{clock.active ? remaining(clock) : 'Embargo ended'}</span>
    </>
  );
}

export function CaseBoard() {
  usePageTitle('Coordination cases');
  const [status, setStatus] = useState('open');
  const [silent, setSilent] = useState('');
  const { data, error, loading } = useResource<{ items: CaseListItem[] }>('/clearinghouse/cases', { status, silent });
  const items = data?.items ?? [];
  useReportClassification(data ? { classification: items.length ? 'CUI' : 'UNCLASSIFIED' } : null);
  return (
    <>
      <h1>Coordination cases</h1>
      <p className="usa-intro">Validated vulnerabilities being coordinated with their vendors under embargo. Each embargo is stated in its own time zone, shown beside it.</p>
      <form aria-label="Filter the cases" onSubmit={(e) => e.preventDefault()}>
        <div className="grid-row grid-gap">
          <div className="grid-col-12 tablet:grid-col-4">
            <SelectField id="cases-status" label="Case status" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">All</option>
              <option value="open">Open</option>
              <option value="closed">Closed</option>
            </SelectField>
          </div>
          <div className="grid-col-12 tablet:grid-col-4">
            <SelectField id="cases-silent" label="Vendors" value={silent} onChange={(e) => setSilent(e.target.value)}>
              <option value="">All cases</option>
              <option value="true">With a silent vendor</option>
              <option value="false">Every vendor answered</option>
            </SelectField>
          </div>
        </div>
      </form>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && items.length === 0 ? <p data-testid="cases-empty">No cases match.</p> : null}
      {items.length > 0 ? (
        <ScrollTable captionId="cases-caption">
          <table className="usa-table usa-table--borderless" data-testid="cases">
            <caption id="cases-caption">Cases</caption>
            <thead>
              <tr>
                <th scope="col">Vulnerability</th>
                <th scope="col">Status</th>
                <th scope="col">Embargo ends</th>
                <th scope="col">Vendors</th>
                <th scope="col">Statements</th>
                <th scope="col">Silent vendors</th>
                <th scope="col">Opened</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/clearinghouse/cases/${c.id}`}>
                      {c.title}
                    </Link>
                  </th>
                  <td>{c.status}</td>
                  <td>
                    <EmbargoCell clock={c.embargo} />
                  </td>
                  <td>{c.vendors}</td>
                  <td>{c.statements}</td>
                  <td>
                    {c.silentVendors}
                    {c.longestSilentDays !== null && c.silentVendors > 0 ? ` (longest ${c.longestSilentDays} day${c.longestSilentDays === 1 ? '' : 's'})` : ''}
                  </td>
                  <td>{formatDateTime(c.openedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}

export function VendorCases() {
  usePageTitle('Vulnerability cases');
  const { data, error, loading } = useResource<{ items: VendorCaseListItem[] }>('/clearinghouse/cases/mine');
  const items = data?.items ?? [];
  useReportClassification(data ? { classification: items.length ? 'CUI' : 'UNCLASSIFIED' } : null);
  return (
    <>
      <h1>Vulnerability cases</h1>
      <p className="usa-intro">
        Vulnerabilities in your products that Treasury’s clearinghouse is coordinating with you under embargo. State for each product whether it is affected, and talk with the coordinators. Nothing
        here may be disclosed before the embargo ends.
      </p>
      <p>
        <Link className="usa-link" to="/vendor/products">
          Your registered products
        </Link>
      </p>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && items.length === 0 ? <p data-testid="vendor-cases-empty">No cases for your products.</p> : null}
      {items.length > 0 ? (
        <ScrollTable captionId="vendor-cases-caption">
          <table className="usa-table usa-table--borderless" data-testid="vendor-cases">
            <caption id="vendor-cases-caption">Your cases</caption>
            <thead>
              <tr>
                <th scope="col">Vulnerability</th>
                <th scope="col">Status</th>
                <th scope="col">Embargo ends</th>
                <th scope="col">Notified</th>
                <th scope="col">Your statements</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/vendor/cases/${c.id}`}>
                      {c.title}
                    </Link>
                  </th>
                  <td>{c.status}</td>
                  <td>
                    <EmbargoCell clock={c.embargo} />
                  </td>
                  <td>{formatDateTime(c.notifiedAt)}</td>
                  <td>{c.myStatements}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}

export function VendorProducts() {
  usePageTitle('Registered products');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const { data, error, loading, reload } = useResource<{ items: VendorProduct[] }>('/clearinghouse/vendor-products');
  const [purl, setPurl] = useState('');
  const [match, setMatch] = useState('package');
  const [label, setLabel] = useState('');
  const add = useAction(async () => {
    await api('/clearinghouse/vendor-products', { method: 'POST', body: { purl: purl.trim(), match, ...(label.trim() ? { label: label.trim() } : {}) } });
    setPurl('');
    setLabel('');
    reload();
  });
  const remove = useAction(async (id: string) => {
    await api(`/clearinghouse/vendor-products/${id}`, { method: 'DELETE' });
    reload();
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void add.run();
  }
  const items = data?.items ?? [];
  return (
    <>
      <h1>Registered products</h1>
      <p className="usa-intro">The package-urls of your products. A vulnerability whose affected products match one of them brings you into its coordination case, and you are notified.</p>
      <p>
        <Link className="usa-link" to="/vendor/cases">
          Your cases
        </Link>
      </p>
      <ProblemAlert error={error ?? remove.error} />
      {loading && !data ? <Loading /> : null}
      {data && items.length === 0 ? <p>No products registered yet.</p> : null}
      {items.length > 0 ? (
        <ScrollTable captionId="products-caption">
          <table className="usa-table usa-table--borderless" data-testid="vendor-products">
            <caption id="products-caption">Your products</caption>
            <thead>
              <tr>
                <th scope="col">Package-url</th>
                <th scope="col">Matches</th>
                <th scope="col">Label</th>
                <th scope="col">Registered</th>
                <th scope="col">
                  <span className="usa-sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <th scope="row" className="text-mono">
                    {p.purl}
                  </th>
                  <td>{p.match === 'namespace' ? 'Every package in the namespace' : 'This package'}</td>
                  <td>{p.label ?? ''}</td>
                  <td>{formatDateTime(p.createdAt)}</td>
                  <td>
                    <button className="usa-button usa-button--unstyled" type="button" disabled={remove.pending} onClick={() => void remove.run(p.id)}>
                      Remove<span className="usa-sr-only"> {p.purl}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      <h2 id="add-product-heading">Register a product</h2>
      <ProblemAlert error={add.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="add-product-heading">
        <TextField id="product-purl" label="Package-url" hint="For example pkg:npm/%40openhealth/ehr-core, or pkg:maven/org.openhealth for a namespace." required maxLength={1000} value={purl} onChange={(e) => setPurl(e.target.value)} error={fieldError(add.error, 'purl')} />
        <SelectField id="product-match" label="Matches" value={match} onChange={(e) => setMatch(e.target.value)}>
          <option value="package">This package</option>
          <option value="namespace">Every package in the namespace</option>
        </SelectField>
        <TextField id="product-label" label="Label (optional)" maxLength={200} value={label} onChange={(e) => setLabel(e.target.value)} error={fieldError(add.error, 'label')} />
        <button className="usa-button margin-top-2" type="submit" disabled={add.pending || purl.trim().length < 5}>
          Register the product
        </button>
      </form>
    </>
  );
}
