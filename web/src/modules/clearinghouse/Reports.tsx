// The reporter's pages: submit a report (pasted or uploaded, any accepted format), see what became of
// each candidate, and follow the reports submitted from this browser.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { fieldError, SelectField, TextAreaField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { newIdempotencyKey, recentReports, rememberReport, submitReport } from './client.ts';
import type { RecentReport } from './client.ts';
import { FORMAT_LABELS, FORMATS, STATUS_LABELS, type Report, type SubmitResult } from './types.ts';

const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

function SubmitResultView({ result }: { result: SubmitResult }) {
  const merged = result.candidates.filter((c) => c.merged).length;
  return (
    <section aria-labelledby="result-heading" data-testid="submit-result">
      <Notice type="success" role="status" heading="Report received" headingLevel="h2">
        <p className="margin-0">
          Report <span className="text-mono">{result.reportId}</span> ({FORMAT_LABELS[result.format] ?? result.format}): {result.candidates.length} candidate
          {result.candidates.length === 1 ? '' : 's'}, {merged} merged into vulnerabilities already known.
        </p>
      </Notice>
      <h2 id="result-heading" className="usa-sr-only">
        What became of each candidate
      </h2>
      <ScrollTable captionId="result-caption">
        <table className="usa-table usa-table--borderless" data-testid="submit-candidates">
          <caption id="result-caption">Candidates in this report</caption>
          <thead>
            <tr>
              <th scope="col">Candidate</th>
              <th scope="col">Vulnerability</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {result.candidates.map((c) => (
              <tr key={c.index}>
                <th scope="row">{c.index + 1}</th>
                <td>
                  <Link className="usa-link text-mono" to={`/clearinghouse/vulnerabilities/${c.vulnerabilityId}`}>
                    {c.vulnerabilityId}
                  </Link>
                </td>
                <td>{c.merged ? 'Merged into a known vulnerability (you are credited)' : 'New vulnerability'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      {result.warnings.length ? (
        <Notice type="warning" slim heading="Warnings" headingLevel="h3">
          <ul className="margin-0">
            {result.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <p>
        <Link className="usa-button" to={`/clearinghouse/reports/${result.reportId}`}>
          Follow this report
        </Link>
      </p>
    </section>
  );
}

interface MyReport {
  id: string;
  format: string;
  receivedAt: string;
  candidates: number;
  merged: number;
}

/**
 * The reporter's reports: from the API's list when the server has one (GET /clearinghouse/reports),
 * else those submitted from this browser (kept locally; the ids are the submitter's own).
 */
function MyReports({ local, refreshKey }: { local: RecentReport[]; refreshKey: number }) {
  const server = useResource<{ items: MyReport[] }>('/clearinghouse/reports', { limit: 50 });
  const { reload } = server;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else reload();
  }, [refreshKey, reload]);
  const fromServer = Array.isArray(server.data?.items) ? server.data.items : undefined;
  const items: MyReport[] = fromServer ?? local.map((r) => ({ id: r.id, format: r.format, receivedAt: r.at, candidates: r.candidates, merged: r.merged }));
  const heading = fromServer ? 'Your reports' : 'Reports you submitted from this browser';
  if (server.loading && !server.data && !server.error) return <Loading />;
  return (
    <section aria-labelledby="recent-heading" className="margin-top-4">
      <h2 id="recent-heading">{heading}</h2>
      {items.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <ScrollTable captionId="recent-caption">
          <table className="usa-table usa-table--borderless" data-testid="recent-reports">
            <caption id="recent-caption" className="usa-sr-only">
              {heading}
            </caption>
            <thead>
              <tr>
                <th scope="col">Report</th>
                <th scope="col">Format</th>
                <th scope="col">Submitted</th>
                <th scope="col">Candidates</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link className="usa-link text-mono" to={`/clearinghouse/reports/${r.id}`}>
                      {r.id}
                    </Link>
                  </th>
                  <td>{FORMAT_LABELS[r.format] ?? r.format}</td>
                  <td>{formatDateTime(r.receivedAt)}</td>
                  <td>
                    {r.candidates} ({r.merged} merged)
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </section>
  );
}

export function SubmitReportPage() {
  usePageTitle('Report a vulnerability');
  useReportClassification({ classification: 'CUI' });
  const me = useMe();
  const [format, setFormat] = useState('');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [tooLarge, setTooLarge] = useState(false);
  const [result, setResult] = useState<SubmitResult | null>(null);
  const [recent, setRecent] = useState<RecentReport[]>(() => recentReports(me.user.id));
  // One key per submission: kept while the same document is sent again (a double click or a retry
  // after a network error answers with the first report), replaced as soon as anything changes.
  const key = useRef<string | null>(null);
  const changed = () => {
    key.current = null;
    setResult(null);
  };

  const submit = useAction(async () => {
    const document = file ? await file.text() : text;
    key.current ??= newIdempotencyKey();
    const r = await submitReport({ ...(format ? { format } : {}), document }, key.current);
    setResult(r);
    setRecent(rememberReport(me.user.id, r));
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (submit.pending) return;
    void submit.run();
  }

  const empty = file === null && text.trim() === '';
  return (
    <>
      <h1>Report a vulnerability</h1>
      <p className="usa-intro">
        Send a software vulnerability to Treasury’s clearinghouse: a Forewarn report, a scanner’s or AI tool’s SARIF file, OSV, CSAF 2.0 or a CycloneDX VEX document. Each finding in it is
        deduplicated against what the clearinghouse already knows, then validated and coordinated with the vendor.
      </p>
      <ProblemAlert error={submit.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-label="Report a vulnerability">
        <SelectField
          id="report-format"
          label="Format"
          value={format}
          onChange={(e) => {
            setFormat(e.target.value);
            changed();
          }}
          error={fieldError(submit.error, 'format')}
        >
          {FORMATS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <div className={`usa-form-group${tooLarge ? ' usa-form-group--error' : ''}`}>
          <label className="usa-label" htmlFor="report-file">
            Upload a file
          </label>
          <div className="usa-hint" id="report-file-hint">
            JSON, SARIF or JSON Lines, at most 5 MiB. A file takes the place of pasted text.
          </div>
          {tooLarge ? (
            <span className="usa-error-message" id="report-file-error">
              The file is larger than 5 MiB.
            </span>
          ) : null}
          <input
            id="report-file"
            className="usa-file-input"
            type="file"
            accept=".json,.sarif,.jsonl,.txt,application/json"
            aria-describedby={tooLarge ? 'report-file-hint report-file-error' : 'report-file-hint'}
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              const big = f !== null && f.size > MAX_DOCUMENT_BYTES;
              setTooLarge(big);
              setFile(big ? null : f);
              changed();
            }}
          />
          {file ? (
            <p className="margin-bottom-0" data-testid="report-file-name">
              {file.name} ({file.size.toLocaleString('en-US')} bytes)
            </p>
          ) : null}
        </div>
        <TextAreaField
          id="report-document"
          label="Or paste the document"
          hint="The whole document as text."
          className="text-mono"
          rows={10}
          maxLength={MAX_DOCUMENT_BYTES}
          value={text}
          disabled={file !== null}
          onChange={(e) => {
            setText(e.target.value);
            changed();
          }}
          error={fieldError(submit.error, 'document')}
        />
        <button className="usa-button margin-top-2" type="submit" disabled={submit.pending || empty} aria-disabled={submit.pending || empty}>
          {submit.pending ? 'Submitting…' : 'Submit the report'}
        </button>
      </form>
      {result ? <SubmitResultView result={result} /> : null}
      <MyReports local={recent} refreshKey={recent.length} />
    </>
  );
}

export function ReportPage() {
  const { id = '' } = useParams();
  const { data: r, error, loading, reload } = useResource<Report>(`/clearinghouse/reports/${id}`);
  usePageTitle('Clearinghouse report');
  useReportClassification(r ? { classification: 'CUI' } : null);
  if (loading && !r) return <Loading />;
  if (!r)
    return (
      <>
        <h1>Clearinghouse report</h1>
        <ProblemAlert error={error} />
      </>
    );
  return (
    <>
      <h1>Clearinghouse report</h1>
      <p>
        <Link className="usa-link" to="/clearinghouse/report">
          Report a vulnerability
        </Link>
      </p>
      <dl className="fw-summary" data-testid="report-summary">
        <dt>Report</dt>
        <dd className="text-mono">{r.id}</dd>
        <dt>Format</dt>
        <dd>{FORMAT_LABELS[r.format] ?? r.format}</dd>
        <dt>Received</dt>
        <dd>{formatDateTime(r.receivedAt)}</dd>
        <dt>Submitted by</dt>
        <dd>{r.mine ? 'You' : <span className="text-mono">{r.submitterUserId}</span>}</dd>
        {r.findingId ? (
          <>
            <dt>From review finding</dt>
            <dd>
              <Link className="usa-link" to={`/findings/${r.findingId}`}>
                {r.findingId}
              </Link>
            </dd>
          </>
        ) : null}
        <dt>Marking</dt>
        <dd>CUI</dd>
      </dl>
      <ScrollTable captionId="report-candidates-caption">
        <table className="usa-table usa-table--borderless" data-testid="report-candidates">
          <caption id="report-candidates-caption">Where each candidate stands</caption>
          <thead>
            <tr>
              <th scope="col">Candidate</th>
              <th scope="col">Title</th>
              <th scope="col">Outcome</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {r.candidates.map((c) => (
              <tr key={c.index}>
                <th scope="row">{c.index + 1}</th>
                <td>
                  <Link className="usa-link" to={`/clearinghouse/vulnerabilities/${c.vulnerabilityId}`}>
                    {c.title || c.vulnerabilityId}
                  </Link>
                </td>
                <td>{c.merged ? 'Merged into a known vulnerability' : 'New vulnerability'}</td>
                <td data-testid="candidate-status">{STATUS_LABELS[c.status] ?? c.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      <button className="usa-button usa-button--outline" type="button" onClick={reload}>
        Refresh
      </button>
    </>
  );
}
