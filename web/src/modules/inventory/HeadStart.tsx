// The defender head start: per reviewed model, the share of affected operators patched before the
// model's public release, by sector and over time, and (for coordinators) who is still exposed.
import { Link, useParams } from 'react-router-dom';
import { useReportClassification } from '../../classification.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { usePageTitle, useResource } from '../../hooks.ts';
import { percent, words } from './types.ts';

interface Counts {
  affected: number;
  patchedBeforeRelease: number;
  share: number | null;
}
interface ModelRef {
  id: string;
  label: string;
  developer: string | null;
  releaseAt: string;
  released: boolean;
}
interface Summary extends Counts {
  model: ModelRef;
  advisories: number;
  patchedNow: number;
}
interface Detail extends Summary {
  bySector: (Counts & { sector: string })[];
  series: { at: string; affected: number; patched: number; share: number | null }[];
  advisoryList: { id: string; trackingId: string | null; severity: string | null; tlp: string; publishedAt: string | null; affected: number }[];
  unpatched: { orgId: string; orgName: string; sector: string; firstMatchedAt: string; openRecords: number }[] | null;
}

const INK = '#1b1b1b';
const BLUE = '#005ea2';
const GREY = '#dfe1e2';

function SectorChart({ rows }: { rows: Detail['bySector'] }) {
  const barH = 28;
  const labelW = 160;
  const width = 560;
  const trackW = width - labelW - 70;
  const height = rows.length * (barH + 10) + 10;
  return (
    <figure className="margin-x-0">
      <svg role="img" aria-labelledby="sector-chart-title sector-chart-desc" width="100%" viewBox={`0 0 ${width} ${height}`} className="maxw-tablet" data-testid="sector-chart">
        <title id="sector-chart-title">Share patched before release, by sector</title>
        <desc id="sector-chart-desc">{rows.map((r) => `${words(r.sector)}: ${percent(r.share)} (${r.patchedBeforeRelease} of ${r.affected})`).join('; ')}</desc>
        {rows.map((r, i) => {
          const y = 10 + i * (barH + 10);
          return (
            <g key={r.sector}>
              <text x={0} y={y + barH / 2 + 5} fontSize="14" fill={INK}>
                {words(r.sector)}
              </text>
              <rect x={labelW} y={y} width={trackW} height={barH} fill={GREY} />
              <rect x={labelW} y={y} width={Math.max(0, Math.min(1, r.share ?? 0)) * trackW} height={barH} fill={BLUE} />
              <text x={width - 60} y={y + barH / 2 + 5} fontSize="14" fill={INK}>
                {percent(r.share)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="usa-hint">Operators patched by the release, as a share of the sector’s affected operators.</figcaption>
    </figure>
  );
}

function SeriesChart({ points, releaseAt }: { points: Detail['series']; releaseAt: string }) {
  const width = 600;
  const height = 240;
  const pad = { l: 44, r: 16, t: 12, b: 36 };
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return null;
  const t0 = new Date(first.at).getTime();
  const t1 = Math.max(new Date(last.at).getTime(), t0 + 1);
  const x = (t: number) => pad.l + ((t - t0) / (t1 - t0)) * (width - pad.l - pad.r);
  const y = (share: number) => pad.t + (1 - share) * (height - pad.t - pad.b);
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(new Date(p.at).getTime()).toFixed(1)},${y(p.share ?? 0).toFixed(1)}`).join(' ');
  const release = new Date(releaseAt).getTime();
  return (
    <figure className="margin-x-0">
      <svg role="img" aria-labelledby="series-chart-title series-chart-desc" width="100%" viewBox={`0 0 ${width} ${height}`} className="maxw-tablet" data-testid="series-chart">
        <title id="series-chart-title">Share of affected operators patched over time</title>
        <desc id="series-chart-desc">
          From {formatDate(first.at)} to {formatDate(last.at)}: {percent(last.share)} patched ({last.patched} of {last.affected}). Release on {formatDate(releaseAt)}.
        </desc>
        {[0, 0.5, 1].map((s) => (
          <g key={s}>
            <line x1={pad.l} x2={width - pad.r} y1={y(s)} y2={y(s)} stroke={GREY} />
            <text x={4} y={y(s) + 5} fontSize="12" fill={INK}>
              {Math.round(s * 100)}%
            </text>
          </g>
        ))}
        <path d={line} fill="none" stroke={BLUE} strokeWidth={3} />
        {release >= t0 && release <= t1 ? (
          <g>
            <line x1={x(release)} x2={x(release)} y1={pad.t} y2={height - pad.b} stroke={INK} strokeDasharray="4 4" />
            <text x={Math.min(x(release) + 4, width - 70)} y={height - 10} fontSize="12" fill={INK}>
              release
            </text>
          </g>
        ) : null}
        <text x={pad.l} y={height - 10} fontSize="12" fill={INK}>
          {formatDate(first.at)}
        </text>
      </svg>
      <figcaption className="usa-hint">The dashed line marks the model’s public release.</figcaption>
    </figure>
  );
}

export function HeadStartList() {
  usePageTitle('Defender head start');
  const { data, error, loading } = useResource<{ items: Summary[]; coordinator: boolean }>('/head-start/models');
  // Counts and model references; coordinators' detail pages name operators (CUI).
  useReportClassification({ classification: 'CUI' });
  return (
    <>
      <h1>Defender head start</h1>
      <p className="usa-intro">For each reviewed model: the operators its advisories affect, and the share that patched before the model’s public release.</p>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p>No reviewed model has a published advisory you may see yet.</p> : null}
      {data && data.items.length > 0 ? (
        <ScrollTable captionId="hs-caption">
          <table className="usa-table usa-table--borderless" data-testid="head-start-models">
            <caption id="hs-caption">Models</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Release</th>
                <th scope="col">Advisories</th>
                <th scope="col">Operators affected</th>
                <th scope="col">Patched before release</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((h) => (
                <tr key={h.model.id}>
                  <th scope="row">
                    <Link to={`/head-start/${h.model.id}`}>{h.model.label}</Link>
                  </th>
                  <td>
                    {formatDate(h.model.releaseAt)}
                    {h.model.released ? '' : ' (planned)'}
                  </td>
                  <td>{h.advisories}</td>
                  <td>{h.affected}</td>
                  <td>{h.patchedBeforeRelease}</td>
                  <td>{percent(h.share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}

export function HeadStartPage() {
  const { id = '' } = useParams();
  const { data, error, loading } = useResource<Detail>(`/head-start/models/${id}`);
  usePageTitle(data ? `Head start: ${data.model.label}` : 'Defender head start');
  useReportClassification({ classification: 'CUI' });
  return (
    <>
      <p>
        <Link to="/head-start">Defender head start</Link>
      </p>
      <h1>{data ? `Head start: ${data.model.label}` : 'Defender head start'}</h1>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <dl className="fw-summary" data-testid="head-start-summary">
            <dt>Developer</dt>
            <dd>{data.model.developer ?? '—'}</dd>
            <dt>{data.model.released ? 'Released' : 'Planned release'}</dt>
            <dd>{formatDateTime(data.model.releaseAt)}</dd>
            <dt>Operators affected</dt>
            <dd>{data.affected}</dd>
            <dt>{data.model.released ? 'Patched before release' : 'Patched so far'}</dt>
            <dd data-testid="head-start-share">
              {data.patchedBeforeRelease} ({percent(data.share)})
            </dd>
            <dt>Patched now</dt>
            <dd>{data.patchedNow}</dd>
          </dl>
          {data.bySector.length > 0 ? (
            <section aria-labelledby="sector-h" className="fw-section">
              <h2 id="sector-h">By sector</h2>
              <SectorChart rows={data.bySector} />
              <ScrollTable captionId="sector-caption">
                <table className="usa-table usa-table--borderless" data-testid="head-start-sectors">
                  <caption id="sector-caption">Affected operators and those patched before release, by sector</caption>
                  <thead>
                    <tr>
                      <th scope="col">Sector</th>
                      <th scope="col">Affected</th>
                      <th scope="col">Patched before release</th>
                      <th scope="col">Share</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.bySector.map((s) => (
                      <tr key={s.sector}>
                        <th scope="row">{words(s.sector)}</th>
                        <td>{s.affected}</td>
                        <td>{s.patchedBeforeRelease}</td>
                        <td>{percent(s.share)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
            </section>
          ) : null}
          {data.series.length > 0 ? (
            <section aria-labelledby="series-h" className="fw-section">
              <h2 id="series-h">Over time</h2>
              <SeriesChart points={data.series} releaseAt={data.model.releaseAt} />
            </section>
          ) : null}
          <section aria-labelledby="adv-h" className="fw-section">
            <h2 id="adv-h">Advisories</h2>
            {data.advisoryList.length === 0 ? <p>No published advisory yet.</p> : null}
            {data.advisoryList.length > 0 ? (
              <ScrollTable captionId="adv-caption">
                <table className="usa-table usa-table--borderless" data-testid="head-start-advisories">
                  <caption id="adv-caption">Advisories about the model’s vulnerabilities</caption>
                  <thead>
                    <tr>
                      <th scope="col">Advisory</th>
                      <th scope="col">Severity</th>
                      <th scope="col">TLP</th>
                      <th scope="col">Published</th>
                      <th scope="col">Operators affected</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.advisoryList.map((a) => (
                      <tr key={a.id}>
                        <th scope="row">{a.trackingId ?? 'draft'}</th>
                        <td>{a.severity ?? '—'}</td>
                        <td>TLP:{a.tlp}</td>
                        <td>{formatDateTime(a.publishedAt)}</td>
                        <td>{a.affected}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
            ) : null}
          </section>
          {data.unpatched ? (
            <section aria-labelledby="unpatched-h" className="fw-section">
              <h2 id="unpatched-h">Still unpatched</h2>
              {data.unpatched.length === 0 ? <p>Every affected operator has patched.</p> : null}
              {data.unpatched.length > 0 ? (
                <ScrollTable captionId="unpatched-caption">
                  <table className="usa-table usa-table--borderless" data-testid="head-start-unpatched">
                    <caption id="unpatched-caption">Operators still exposed</caption>
                    <thead>
                      <tr>
                        <th scope="col">Operator</th>
                        <th scope="col">Sector</th>
                        <th scope="col">First matched</th>
                        <th scope="col">Open records</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.unpatched.map((o) => (
                        <tr key={o.orgId}>
                          <th scope="row">{o.orgName}</th>
                          <td>{words(o.sector)}</td>
                          <td>{formatDateTime(o.firstMatchedAt)}</td>
                          <td>{o.openRecords}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollTable>
              ) : null}
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
