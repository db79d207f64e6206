// Awards: milestones and deliverables, progress reports, payments, the funded tool and its findings, closeout.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { usd, type Award, type AwardSummary } from './types.ts';

export function AwardList() {
  usePageTitle('Awards');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const { data, error, loading } = useResource<{ items: AwardSummary[] }>('/grant-awards');
  return (
    <>
      <h1>Awards</h1>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p>No awards yet.</p> : null}
      {data && data.items.length > 0 ? (
        <ScrollTable captionId="awards-caption">
          <table className="usa-table usa-table--borderless" data-testid="awards">
            <caption id="awards-caption">Awards</caption>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Recipient</th>
                <th scope="col">Amount</th>
                <th scope="col">Paid</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((w) => (
                <tr key={w.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/grants/awards/${w.id}`}>
                      {w.projectTitle}
                    </Link>
                  </th>
                  <td>{w.recipientOrgName}</td>
                  <td>{usd(w.amountUsd)}</td>
                  <td>{usd(w.paidUsd)}</td>
                  <td>{w.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}

export function AwardPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { data: w, error, loading, reload } = useResource<Award>(`/grant-awards/${id}`);
  usePageTitle(w ? `Award: ${w.projectTitle}` : 'Award');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const officer = me.abilities.includes('grants:manage');
  const recipient = me.abilities.includes('grants:apply');
  const [ms, setMs] = useState({ title: '', dueOn: '', deliverables: '', amountUsd: '' });
  const [rep, setRep] = useState({ period: '', narrative: '', milestoneId: '' });
  const [payment, setPayment] = useState({ milestoneId: '', amountUsd: '', reference: '' });
  const [tool, setTool] = useState({ name: '', description: '', sarifDriverName: '' });
  const post = useAction(async (path: string, body: unknown) => {
    await api(`/grant-awards/${id}${path}`, { method: 'POST', body });
    reload();
  });
  const live = w && (w.status === 'active' || w.status === 'closing');
  return (
    <>
      <ProblemAlert error={error ?? post.error} />
      {loading && !w ? <Loading /> : null}
      {w ? (
        <>
          <h1>Award: {w.projectTitle}</h1>
          <dl className="fw-summary">
            <dt>Recipient</dt>
            <dd>{w.recipientOrgName}</dd>
            <dt>Opportunity</dt>
            <dd>{w.opportunityTitle}</dd>
            <dt>Amount</dt>
            <dd>{usd(w.amountUsd)}</dd>
            <dt>Paid</dt>
            <dd data-testid="paid">{usd(w.paidUsd)}</dd>
            <dt>Status</dt>
            <dd data-testid="award-status">{w.status}</dd>
          </dl>

          <section aria-labelledby="findings-h" className="fw-section" data-testid="findings-reported">
            <h2 id="findings-h">Findings reported</h2>
            <p>
              {w.findingsReported.count ?? 0} reported, {w.findingsReported.validated ?? 0} validated, {w.findingsReported.published ?? 0} published
              {' '}through the clearinghouse’s SARIF intake.
            </p>
          </section>

          <section aria-labelledby="ms-h" className="fw-section">
            <h2 id="ms-h">Milestones</h2>
            {w.milestones.length ? (
              <ScrollTable captionId="ms-caption">
                <table className="usa-table usa-table--borderless" data-testid="milestones">
                  <caption id="ms-caption">Milestones and payments</caption>
                  <thead>
                    <tr>
                      <th scope="col">Milestone</th>
                      <th scope="col">Due</th>
                      <th scope="col">Deliverables</th>
                      <th scope="col">Amount</th>
                      <th scope="col">Paid</th>
                      <th scope="col">Status</th>
                      {officer ? <th scope="col">Action</th> : null}
                    </tr>
                  </thead>
                  <tbody>
                    {w.milestones.map((m) => (
                      <tr key={m.id}>
                        <th scope="row">{m.title}</th>
                        <td>{formatDate(m.dueOn)}</td>
                        <td>{m.deliverables}</td>
                        <td>{usd(m.amountUsd)}</td>
                        <td>{usd(m.paidUsd)}</td>
                        <td>{m.status}</td>
                        {officer ? (
                          <td>
                            {m.status !== 'accepted' && live ? (
                              <button className="usa-button usa-button--unstyled" type="button" onClick={() => void post.run(`/milestones/${m.id}/accept`, {})}>
                                Accept {m.title}
                              </button>
                            ) : (
                              '—'
                            )}
                          </td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
            ) : (
              <p>No milestones yet.</p>
            )}
            {officer && w.status === 'active' ? (
              <form
                className="usa-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void post.run('/milestones', { ...ms, amountUsd: Number(ms.amountUsd) });
                }}
              >
                <h3>Add a milestone</h3>
                <TextField id="ms-title" label="Title" required maxLength={200} value={ms.title} onChange={(e) => setMs({ ...ms, title: e.target.value })} />
                <TextField id="ms-due" label="Due on" type="date" required value={ms.dueOn} onChange={(e) => setMs({ ...ms, dueOn: e.target.value })} />
                <TextAreaField id="ms-deliverables" label="Deliverables" required maxLength={4000} value={ms.deliverables} onChange={(e) => setMs({ ...ms, deliverables: e.target.value })} />
                <TextField id="ms-amount" label="Amount (USD)" type="number" required value={ms.amountUsd} onChange={(e) => setMs({ ...ms, amountUsd: e.target.value })} />
                <button className="usa-button" type="submit">
                  Add milestone
                </button>
              </form>
            ) : null}
            {officer && live && w.milestones.some((m) => m.status === 'accepted') ? (
              <form
                className="usa-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void post.run('/payments', { ...payment, amountUsd: Number(payment.amountUsd) });
                }}
              >
                <h3>Record a payment</h3>
                <SelectField id="pay-milestone" label="Against milestone" required value={payment.milestoneId} onChange={(e) => setPayment({ ...payment, milestoneId: e.target.value })}>
                  <option value="">Choose</option>
                  {w.milestones
                    .filter((m) => m.status === 'accepted')
                    .map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.title}
                      </option>
                    ))}
                </SelectField>
                <TextField id="pay-amount" label="Amount (USD)" type="number" required value={payment.amountUsd} onChange={(e) => setPayment({ ...payment, amountUsd: e.target.value })} />
                <TextField id="pay-ref" label="Payment reference" required maxLength={100} value={payment.reference} onChange={(e) => setPayment({ ...payment, reference: e.target.value })} />
                <button className="usa-button" type="submit">
                  Record payment
                </button>
              </form>
            ) : null}
          </section>

          <section aria-labelledby="rep-h" className="fw-section">
            <h2 id="rep-h">Progress reports</h2>
            <ul>
              {w.progressReports.map((r) => (
                <li key={r.id}>
                  <strong>{r.period}</strong> ({formatDateTime(r.submittedAt)}): {r.narrative}
                </li>
              ))}
            </ul>
            {recipient && live ? (
              <form
                className="usa-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void post.run('/progress-reports', { period: rep.period, narrative: rep.narrative, ...(rep.milestoneId ? { milestoneId: rep.milestoneId } : {}) });
                }}
              >
                <TextField id="rep-period" label="Period" hint="For example 2027 Q1" required maxLength={100} value={rep.period} onChange={(e) => setRep({ ...rep, period: e.target.value })} />
                <TextAreaField id="rep-narrative" label="Progress" required maxLength={20000} value={rep.narrative} onChange={(e) => setRep({ ...rep, narrative: e.target.value })} />
                <SelectField id="rep-milestone" label="Deliverables submitted for milestone (optional)" value={rep.milestoneId} onChange={(e) => setRep({ ...rep, milestoneId: e.target.value })}>
                  <option value="">None</option>
                  {w.milestones.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.title}
                    </option>
                  ))}
                </SelectField>
                <button className="usa-button" type="submit">
                  Submit progress report
                </button>
              </form>
            ) : null}
          </section>

          <section aria-labelledby="tool-h" className="fw-section">
            <h2 id="tool-h">Funded tool</h2>
            {w.tools.map((t) => (
              <p key={t.id}>
                <strong>{t.name}</strong>: {t.description}. Reports as SARIF driver <code>{t.sarifDriverName}</code>.
              </p>
            ))}
            {recipient && live ? (
              <form
                className="usa-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void post.run('/tools', tool);
                }}
              >
                <TextField id="tool-name" label="Tool name" required maxLength={200} value={tool.name} onChange={(e) => setTool({ ...tool, name: e.target.value })} />
                <TextAreaField id="tool-description" label="What it does" required maxLength={4000} value={tool.description} onChange={(e) => setTool({ ...tool, description: e.target.value })} />
                <TextField id="tool-driver" label="SARIF driver name" hint="The runs[].tool.driver.name your tool's SARIF reports carry." required maxLength={200} value={tool.sarifDriverName} onChange={(e) => setTool({ ...tool, sarifDriverName: e.target.value })} />
                <button className="usa-button" type="submit">
                  Register tool
                </button>
              </form>
            ) : null}
          </section>

          {officer ? (
            <section aria-labelledby="close-h" className="fw-section">
              <h2 id="close-h">Closeout</h2>
              {w.status === 'active' ? (
                <button className="usa-button usa-button--outline" type="button" onClick={() => void post.run('/closeout', { action: 'begin' })}>
                  Begin closeout
                </button>
              ) : null}
              {w.status === 'closing' ? (
                <button className="usa-button" type="button" onClick={() => void post.run('/closeout', { action: 'close' })}>
                  Close the award
                </button>
              ) : null}
              {w.status === 'closed' || w.status === 'terminated' ? <p>Closed {formatDateTime(w.closedAt ?? null)}.</p> : null}
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
