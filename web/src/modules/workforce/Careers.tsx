// Public postings, one posting with the application form, and the candidate's profile and applications.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime, splitList } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useSession } from '../../session.tsx';
import { CLEARANCE_LABELS, PATH_LABELS, pay, type CandidateApplication, type Posting, type Profile } from './types.ts';

export function PostingList() {
  usePageTitle('Job postings');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const { data, error, loading } = useResource<{ items: Posting[] }>('/public/job-postings');
  return (
    <>
      <h1>Job postings</h1>
      <p className="usa-intro">Cyber and AI positions across agencies, including the U.S. Tech Force. Postings are public.</p>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p>No positions are open.</p> : null}
      {data && data.items.length > 0 ? (
        <ScrollTable captionId="postings-caption">
          <table className="usa-table usa-table--borderless" data-testid="postings">
            <caption id="postings-caption">Open positions</caption>
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Agency</th>
                <th scope="col">Hiring path</th>
                <th scope="col">Pay</th>
                <th scope="col">Location</th>
                <th scope="col">Clearance</th>
                <th scope="col">Closes</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/careers/${p.id}`}>
                      {p.title}
                    </Link>
                  </th>
                  <td>{p.agencyName}</td>
                  <td>{PATH_LABELS[p.hiringPath] ?? p.hiringPath}</td>
                  <td>{pay(p)}</td>
                  <td>
                    {p.location} ({p.workplace})
                  </td>
                  <td>{CLEARANCE_LABELS[p.clearanceRequired] ?? p.clearanceRequired}</td>
                  <td>{formatDateTime(p.closesAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
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

export function PostingPage() {
  const { id = '' } = useParams();
  // Public page: works signed out too, where there are no abilities.
  const abilities = useSession().me?.abilities ?? [];
  const { data: p, error, loading } = useResource<Posting>(`/public/job-postings/${id}`);
  usePageTitle(p ? p.title : 'Job posting');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const [file, setFile] = useState<File | null>(null);
  const [applied, setApplied] = useState<CandidateApplication>();
  const apply = useAction(async () => {
    if (!file) return;
    const contentType = file.name.toLowerCase().endsWith('.pdf') ? 'application/pdf' : file.name.toLowerCase().endsWith('.docx') ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : 'text/plain';
    setApplied(await api<CandidateApplication>(`/job-postings/${id}/applications`, { method: 'POST', body: { resume: { filename: file.name, contentType, contentBase64: await readBase64(file) } } }));
  });
  return (
    <>
      <ProblemAlert error={error} />
      {loading && !p ? <Loading /> : null}
      {p ? (
        <>
          <h1>{p.title}</h1>
          <p className="usa-intro">{p.summary}</p>
          <dl className="fw-summary">
            <dt>Announcement</dt>
            <dd>{p.announcementNumber}</dd>
            <dt>Agency</dt>
            <dd>{p.agencyName}</dd>
            <dt>Hiring path</dt>
            <dd>{PATH_LABELS[p.hiringPath] ?? p.hiringPath}</dd>
            <dt>Pay</dt>
            <dd>{pay(p)}</dd>
            <dt>Location</dt>
            <dd>
              {p.location} ({p.workplace})
            </dd>
            <dt>Clearance required</dt>
            <dd>{CLEARANCE_LABELS[p.clearanceRequired] ?? p.clearanceRequired}</dd>
            <dt>Closes</dt>
            <dd>{formatDateTime(p.closesAt)}</dd>
          </dl>
          <h2>Duties</h2>
          <p>{p.duties}</p>
          {abilities.includes('hiring:apply') && p.phase === 'open' ? (
            <section aria-labelledby="apply-h" className="fw-section">
              <h2 id="apply-h">Apply</h2>
              {applied ? (
                <Notice type="success" slim role="status">
                  <p className="margin-0">
                    Application received. Follow it on <Link to="/careers/applications">your applications</Link>.
                  </p>
                </Notice>
              ) : (
                <form
                  className="usa-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void apply.run();
                  }}
                >
                  <ProblemAlert error={apply.error} />
                  <div className="usa-form-group">
                    <label className="usa-label" htmlFor="resume">
                      Résumé
                    </label>
                    <span className="usa-hint" id="resume-hint">
                      PDF, DOCX or plain text, at most 2 MiB. Stored encrypted. Your profile is sent with it.
                    </span>
                    <input id="resume" className="usa-file-input" type="file" accept=".pdf,.docx,.txt" aria-describedby="resume-hint" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
                  </div>
                  <button className="usa-button" type="submit" disabled={!file || apply.pending}>
                    Submit application
                  </button>
                </form>
              )}
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}

export function CandidateHome() {
  usePageTitle('Your job applications');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const { data: profile, error: pErr, reload: reloadProfile } = useResource<Profile>('/candidate-profile');
  const { data, error, loading } = useResource<{ items: CandidateApplication[] }>('/job-applications');
  const [f, setF] = useState({ headline: '', skills: '', certifications: '', clearanceHeld: 'none' });
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (profile) setF({ headline: profile.headline, skills: profile.skills.join(', '), certifications: profile.certifications.join(', '), clearanceHeld: profile.clearanceHeld });
  }, [profile]);
  const save = useAction(async () => {
    await api('/candidate-profile', { method: 'PUT', body: { headline: f.headline.trim(), skills: splitList(f.skills), certifications: splitList(f.certifications), clearanceHeld: f.clearanceHeld } });
    setSaved(true);
    reloadProfile();
  });
  return (
    <>
      <h1>Your job applications</h1>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? (
        <p>
          No applications yet. See the <Link to="/careers">open positions</Link>.
        </p>
      ) : null}
      {data && data.items.length > 0 ? (
        <ScrollTable captionId="mine-caption">
          <table className="usa-table usa-table--borderless" data-testid="my-job-applications">
            <caption id="mine-caption">Your applications and where they stand</caption>
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Agency</th>
                <th scope="col">Status</th>
                <th scope="col">Since</th>
                <th scope="col">Applied</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    {a.postingTitle} ({a.announcementNumber})
                  </th>
                  <td>{a.agencyName}</td>
                  <td data-testid="job-status">{a.stageLabel}</td>
                  <td>{formatDateTime(a.history[a.history.length - 1]?.at ?? a.submittedAt)}</td>
                  <td>{formatDateTime(a.submittedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      <form
        className="usa-form maxw-tablet"
        aria-labelledby="profile-h"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          void save.run();
        }}
      >
        <h2 id="profile-h">Your profile</h2>
        {pErr && pErr.status !== 404 ? <ProblemAlert error={pErr} /> : null}
        {!profile ? <p>Create your profile before you apply.</p> : null}
        {saved ? (
          <Notice type="success" slim role="status">
            <p className="margin-0">Profile saved.</p>
          </Notice>
        ) : null}
        <ProblemAlert error={save.error} />
        <TextField id="headline" label="Headline" required maxLength={200} value={f.headline} onChange={(e) => setF({ ...f, headline: e.target.value })} />
        <TextField id="skills" label="Skills" hint="Separated by commas" value={f.skills} onChange={(e) => setF({ ...f, skills: e.target.value })} />
        <TextField id="certifications" label="Certifications" hint="Separated by commas" value={f.certifications} onChange={(e) => setF({ ...f, certifications: e.target.value })} />
        <SelectField id="clearance" label="Clearance held" value={f.clearanceHeld} onChange={(e) => setF({ ...f, clearanceHeld: e.target.value })}>
          {Object.entries(CLEARANCE_LABELS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </SelectField>
        <button className="usa-button" type="submit" disabled={save.pending}>
          Save profile
        </button>
      </form>
    </>
  );
}
