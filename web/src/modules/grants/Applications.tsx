// The applicant's side: its applications, and one application's draft, submission and outcome.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { CheckboxField, TextAreaField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { OfficerActions } from './Officer.tsx';
import { usd, words, type Application, type ApplicationSummary, type Opportunity } from './types.ts';

export function ApplicationList() {
  usePageTitle('Grant applications');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const { data, error, loading } = useResource<{ items: ApplicationSummary[] }>('/grant-applications');
  return (
    <>
      <h1>Grant applications</h1>
      <p className="usa-intro">
        Your organisation’s drafts and submissions. Start a new one from a <Link to="/funding">funding opportunity</Link>.
      </p>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p>No applications yet.</p> : null}
      {data && data.items.length > 0 ? <ApplicationTable items={data.items} caption="Applications" /> : null}
    </>
  );
}

export function ApplicationTable({ items, caption }: { items: ApplicationSummary[]; caption: string }) {
  return (
    <ScrollTable captionId="apps-caption">
      <table className="usa-table usa-table--borderless" data-testid="applications">
        <caption id="apps-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Project</th>
            <th scope="col">Applicant</th>
            <th scope="col">Opportunity</th>
            <th scope="col">Status</th>
            <th scope="col">Budget</th>
            <th scope="col">Submitted</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <th scope="row">
                <Link className="usa-link" to={`/grants/applications/${a.id}`}>
                  {a.projectTitle}
                </Link>
              </th>
              <td>{a.applicantOrgName}</td>
              <td>{a.opportunityNumber}</td>
              <td>{words(a.status)}</td>
              <td>{usd(a.budgetTotalUsd)}</td>
              <td>{formatDateTime(a.submittedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

export function ApplicationPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { data: app, error, loading, reload } = useResource<Application>(`/grant-applications/${id}`);
  const { data: opp } = useResource<Opportunity>(app ? `/public/grant-opportunities/${app.opportunityId}` : null);
  usePageTitle(app ? app.projectTitle : 'Application');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const [sections, setSections] = useState<Record<string, string>>({});
  const [employees, setEmployees] = useState('');
  const [lines, setLines] = useState<Record<string, string[]>>({});
  const [declared, setDeclared] = useState('');
  const [attest, setAttest] = useState<Record<string, boolean>>({});
  const [saved, setSaved] = useState(false);
  const [file, setFile] = useState<File | null>(null);

  useEffect(() => {
    if (!app) return;
    setSections(app.sections);
    setEmployees(app.declaredEmployees === null ? '' : String(app.declaredEmployees));
    setLines(Object.fromEntries((app.budget?.lines ?? []).map((l) => [l.category, l.amounts.map(String)])));
    setDeclared(app.budget ? String(app.budget.declaredTotal) : '');
    setAttest(app.attestations);
  }, [app]);

  const years = opp?.budgetYears ?? 1;
  const budgetBody = () => {
    const ls = Object.entries(lines)
      .map(([category, amounts]) => ({ category, amounts: Array.from({ length: years }, (_, i) => Number(amounts[i] || 0)) }))
      .filter((l) => l.amounts.some((x) => x > 0));
    return ls.length || declared ? { years, lines: ls, declaredTotal: Number(declared || 0) } : null;
  };
  const computed = Object.values(lines).reduce((s, a) => s + a.slice(0, years).reduce((x, y) => x + Number(y || 0), 0), 0);

  const save = useAction(async () => {
    await api(`/grant-applications/${id}`, { method: 'PATCH', body: { sections, declaredEmployees: employees === '' ? null : Number(employees), budget: budgetBody(), attestations: attest } });
    setSaved(true);
    reload();
  });
  const submit = useAction(async () => {
    await api(`/grant-applications/${id}/submit`, { method: 'POST' });
    reload();
  });
  const upload = useAction(async () => {
    if (!file) return;
    await api(`/grant-applications/${id}/attachments`, { method: 'POST', body: { filename: file.name, contentType: file.type || 'text/plain', contentBase64: await readBase64(file) } });
    setFile(null);
    reload();
  });
  function onSave(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    void save.run();
  }
  const draft = app?.status === 'draft';
  return (
    <>
      <ProblemAlert error={error} />
      {loading && !app ? <Loading /> : null}
      {app ? (
        <>
          <h1>{app.projectTitle}</h1>
          <dl className="fw-summary">
            <dt>Opportunity</dt>
            <dd>
              <Link className="usa-link" to={`/funding/${app.opportunityId}`}>
                {app.opportunityNumber}: {app.opportunityTitle}
              </Link>
            </dd>
            <dt>Applicant</dt>
            <dd>{app.applicantOrgName}</dd>
            <dt>Status</dt>
            <dd data-testid="application-status">{words(app.status)}</dd>
            {opp ? (
              <>
                <dt>Deadline</dt>
                <dd>{opp.closesAt.display}</dd>
              </>
            ) : null}
            <dt>Submitted</dt>
            <dd>{formatDateTime(app.submittedAt)}</dd>
          </dl>
          {app.eligibilityCheck ? (
            <Notice type={app.eligibilityCheck.eligible ? 'success' : 'warning'} slim>
              <p className="margin-0">
                Automatic eligibility check: {app.eligibilityCheck.eligible ? 'eligible' : `not eligible — ${app.eligibilityCheck.reasons.join('; ')}`}
              </p>
            </Notice>
          ) : null}
          {app.decidedAt ? (
            <section aria-labelledby="outcome-h" className="fw-section" data-testid="outcome">
              <h2 id="outcome-h">Outcome: {app.status === 'awarded' ? 'awarded' : 'not funded'}</h2>
              <p>{app.decisionReason}</p>
              {app.awardId ? (
                <p>
                  <Link className="usa-link" to={`/grants/awards/${app.awardId}`}>
                    Go to the award
                  </Link>
                </p>
              ) : null}
              {app.reviewComments.length ? (
                <ScrollTable captionId="comments-caption">
                  <table className="usa-table usa-table--borderless" data-testid="review-comments">
                    <caption id="comments-caption">Reviewers’ comments</caption>
                    <thead>
                      <tr>
                        <th scope="col">Reviewer</th>
                        <th scope="col">Criterion</th>
                        <th scope="col">Score</th>
                        <th scope="col">Comment</th>
                      </tr>
                    </thead>
                    <tbody>
                      {app.reviewComments.map((c, i) => (
                        <tr key={i}>
                          <th scope="row">{c.reviewer}</th>
                          <td>{c.criterion}</td>
                          <td>{c.score ?? '—'}</td>
                          <td>{c.comment}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollTable>
              ) : null}
            </section>
          ) : null}
          {draft && opp ? (
            <form className="usa-form maxw-tablet" onSubmit={onSave} aria-labelledby="draft-h">
              <h2 id="draft-h">Draft</h2>
              {saved ? (
                <Notice type="success" slim role="status">
                  <p className="margin-0">Draft saved.</p>
                </Notice>
              ) : null}
              <ProblemAlert error={save.error} />
              {opp.requiredSections.map((s) => (
                <TextAreaField key={s.key} id={`section-${s.key}`} label={s.title} hint={s.guidance || undefined} maxLength={s.maxChars} value={sections[s.key] ?? ''} onChange={(e) => setSections({ ...sections, [s.key]: e.target.value })} />
              ))}
              <TextField id="employees" label="Number of employees" type="number" min={0} value={employees} onChange={(e) => setEmployees(e.target.value)} />
              <fieldset className="usa-fieldset">
                <legend className="usa-legend usa-legend--large">Budget (whole dollars)</legend>
                <ScrollTable captionId="budget-caption">
                  <table className="usa-table usa-table--borderless">
                    <caption id="budget-caption">Budget by category and year</caption>
                    <thead>
                      <tr>
                        <th scope="col">Category</th>
                        {Array.from({ length: years }, (_, y) => (
                          <th scope="col" key={y}>
                            Year {y + 1}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {opp.budgetCategories.map((c) => (
                        <tr key={c}>
                          <th scope="row">{words(c)}</th>
                          {Array.from({ length: years }, (_, y) => (
                            <td key={y}>
                              <label className="usa-sr-only" htmlFor={`budget-${c}-${y}`}>
                                {words(c)}, year {y + 1}
                              </label>
                              <input
                                className="usa-input"
                                id={`budget-${c}-${y}`}
                                type="number"
                                min={0}
                                value={lines[c]?.[y] ?? ''}
                                onChange={(e) => {
                                  const next = [...(lines[c] ?? Array.from({ length: years }, () => ''))];
                                  next[y] = e.target.value;
                                  setLines({ ...lines, [c]: next });
                                }}
                              />
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollTable>
                <p>Lines add up to {usd(computed)}.</p>
                <TextField id="declared-total" label="Total requested" hint="Must equal the sum of the lines." type="number" min={0} value={declared} onChange={(e) => setDeclared(e.target.value)} />
              </fieldset>
              <fieldset className="usa-fieldset">
                <legend className="usa-legend usa-legend--large">Attestations</legend>
                {opp.eligibility.requiredAttestations.map((a) => (
                  <CheckboxField key={a.key} id={`attest-${a.key}`} label={a.text} checked={attest[a.key] === true} onChange={(e) => setAttest({ ...attest, [a.key]: e.target.checked })} />
                ))}
              </fieldset>
              <button className="usa-button" type="submit" disabled={save.pending}>
                Save draft
              </button>
            </form>
          ) : null}
          {draft ? (
            <>
              <section aria-labelledby="files-h" className="fw-section">
                <h2 id="files-h">Attachments</h2>
                <ul>
                  {app.attachments.map((f) => (
                    <li key={f.id}>
                      {f.filename} ({Math.ceil(f.sizeBytes / 1024)} KiB)
                    </li>
                  ))}
                </ul>
                <ProblemAlert error={upload.error} />
                <div className="usa-form-group">
                  <label className="usa-label" htmlFor="attachment">
                    Add a file
                  </label>
                  <span className="usa-hint" id="attachment-hint">
                    PDF, DOCX or plain text, at most 2 MiB. Stored encrypted.
                  </span>
                  <input id="attachment" className="usa-file-input" type="file" accept=".pdf,.docx,.txt" aria-describedby="attachment-hint" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
                </div>
                <button className="usa-button usa-button--outline" type="button" disabled={!file || upload.pending} onClick={() => void upload.run()}>
                  Upload
                </button>
              </section>
              <section aria-labelledby="submit-h" className="fw-section">
                <h2 id="submit-h">Submit</h2>
                {app.missing.length ? (
                  <Notice type="warning" slim>
                    <p className="margin-0">Still missing:</p>
                    <ul data-testid="missing">
                      {app.missing.map((m) => (
                        <li key={m}>{m}</li>
                      ))}
                    </ul>
                  </Notice>
                ) : (
                  <p>The application is complete.</p>
                )}
                <ProblemAlert error={submit.error} />
                <button className="usa-button" type="button" disabled={submit.pending} onClick={() => void submit.run()}>
                  Submit application
                </button>
              </section>
            </>
          ) : null}
          {!draft && app.budgetTotals ? <p>Budget requested: {usd(app.budgetTotals.total)}</p> : null}
          {me.abilities.includes('grants:manage') && app.status !== 'draft' ? <OfficerActions app={app} onChange={reload} /> : null}
        </>
      ) : null}
    </>
  );
}
