// Trusted-partner applications: the applicant's own (with the application form) or, for vetting
// reviewers, every applicant's.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { fieldError, TextAreaField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDate } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import type { Application, ApplicationSummary, CriteriaVersion } from './types.ts';

export function ApplicationsPage() {
  usePageTitle('Trusted partners');
  useReportClassification({ classification: 'CUI' });
  const me = useMe();
  const applicant = me.abilities.includes('partners:apply');
  const list = useResource<{ items: ApplicationSummary[] }>('/partners/applications');
  const criteria = useResource<CriteriaVersion>('/partners/criteria');
  return (
    <>
      <h1>Trusted partners</h1>
      <p className="usa-intro">Selection criteria are published and versioned; every application is vetted criterion by criterion, and every decision is recorded with its reasons.</p>
      <ProblemAlert error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <ScrollTable captionId="applications-caption">
          <table className="usa-table usa-table--borderless">
            <caption id="applications-caption">{applicant ? 'Your applications' : 'Applications'}</caption>
            <thead>
              <tr>
                <th scope="col">Applicant</th>
                <th scope="col">Status</th>
                <th scope="col">Criteria version</th>
                <th scope="col">Eligible until</th>
                <th scope="col">Submitted</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/partners/applications/${a.id}`}>
                      {a.applicantName}
                    </Link>
                  </th>
                  <td>{a.status.replace('_', ' ')}</td>
                  <td>{a.criteriaVersion}</td>
                  <td>{a.eligibleUntil ? formatDate(a.eligibleUntil) : '—'}</td>
                  <td>{formatDate(a.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      {applicant && criteria.data ? <ApplyForm criteria={criteria.data} /> : null}
      {criteria.error ? <p>No selection criteria have been published yet.</p> : null}
    </>
  );
}

function ApplyForm({ criteria }: { criteria: CriteriaVersion }) {
  const navigate = useNavigate();
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [files, setFiles] = useState<Record<string, File | undefined>>({});
  const [decl, setDecl] = useState({ ownership: '', affiliations: '', conflictsOfInterest: '' });
  const submit = useAction(async () => {
    const payload = await Promise.all(
      criteria.criteria.map(async (c) => {
        const f = files[c.key];
        const evidence = f ? [{ filename: f.name, mediaType: f.type || 'application/octet-stream', contentBase64: await toBase64(f) }] : [];
        return { criterionKey: c.key, answer: answers[c.key] ?? '', evidence };
      }),
    );
    const a = await api<Application>('/partners/applications', { method: 'POST', body: { answers: payload, declarations: decl } });
    navigate(`/partners/applications/${a.id}`);
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void submit.run();
  }
  return (
    <section aria-labelledby="apply-heading" className="fw-section">
      <h2 id="apply-heading">Apply (criteria version {criteria.version})</h2>
      <ProblemAlert error={submit.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="apply-heading">
        {criteria.criteria.map((c, i) => (
          <fieldset key={c.key} className="usa-fieldset">
            <legend className="usa-legend">{c.title}</legend>
            <TextAreaField id={`answer-${c.key}`} label={`Your answer: ${c.title}`} hint={`Evidence required: ${c.evidenceRequirement}`} required value={answers[c.key] ?? ''} onChange={(e) => setAnswers({ ...answers, [c.key]: e.target.value })} error={fieldError(submit.error, `answers.${i}`)} />
            <label className="usa-label" htmlFor={`evidence-${c.key}`}>
              Evidence document for {c.title} (up to 256 KiB)
            </label>
            <input className="usa-file-input" id={`evidence-${c.key}`} type="file" onChange={(e) => setFiles({ ...files, [c.key]: e.target.files?.[0] })} />
          </fieldset>
        ))}
        <fieldset className="usa-fieldset">
          <legend className="usa-legend">Declarations</legend>
          <TextAreaField id="decl-ownership" label="Ownership" required value={decl.ownership} onChange={(e) => setDecl({ ...decl, ownership: e.target.value })} />
          <TextAreaField id="decl-affiliations" label="Affiliations" required value={decl.affiliations} onChange={(e) => setDecl({ ...decl, affiliations: e.target.value })} />
          <TextAreaField id="decl-conflicts" label="Conflicts of interest" required value={decl.conflictsOfInterest} onChange={(e) => setDecl({ ...decl, conflictsOfInterest: e.target.value })} />
        </fieldset>
        <button className="usa-button" type="submit" disabled={submit.pending}>
          Submit application
        </button>
      </form>
    </section>
  );
}

async function toBase64(f: File): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
