// Per-domain results of a run with Wilson 95% intervals, as a table and as bars with the interval
// drawn as a whisker.
import { useId } from 'react';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatCount } from '../gateway/types.ts';
import { interval, percent, type Aggregate } from './types.ts';

const ROW = 30;
const LABEL_W = 150;
const PLOT_W = 400;

export function AccuracyChart({ rows, title }: { rows: Aggregate[]; title: string }) {
  const id = useId();
  const height = rows.length * ROW + 24;
  const x = (v: number) => LABEL_W + v * PLOT_W;
  return (
    <figure className="margin-x-0 margin-y-3">
      <figcaption id={`${id}-cap`} className="text-bold margin-bottom-1">
        {title}
      </figcaption>
      <svg role="img" aria-labelledby={`${id}-cap`} viewBox={`0 0 ${LABEL_W + PLOT_W + 60} ${height}`} width="100%" className="maxw-tablet display-block">
        {[0, 0.25, 0.5, 0.75, 1].map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={0} y2={rows.length * ROW} stroke="#a9aeb1" strokeWidth="1" />
            <text x={x(t)} y={rows.length * ROW + 16} textAnchor="middle" fontSize="12" fill="#1b1b1b">
              {t * 100}%
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const y = i * ROW;
          return (
            <g key={r.domain}>
              <text x={LABEL_W - 8} y={y + ROW / 2} textAnchor="end" dominantBaseline="middle" fontSize="13" fill="#1b1b1b">
                {r.domain}
              </text>
              <rect x={LABEL_W} y={y + 7} width={Math.max(0, r.accuracy * PLOT_W)} height={ROW - 14} fill="#005ea2" />
              <line x1={x(r.ci.lower)} x2={x(r.ci.upper)} y1={y + ROW / 2} y2={y + ROW / 2} stroke="#1b1b1b" strokeWidth="2" />
              <line x1={x(r.ci.lower)} x2={x(r.ci.lower)} y1={y + 8} y2={y + ROW - 8} stroke="#1b1b1b" strokeWidth="2" />
              <line x1={x(r.ci.upper)} x2={x(r.ci.upper)} y1={y + 8} y2={y + ROW - 8} stroke="#1b1b1b" strokeWidth="2" />
            </g>
          );
        })}
      </svg>
      <p className="usa-hint margin-top-05">Bars: accuracy. Whiskers: Wilson 95% confidence interval. The same figures are in the table.</p>
    </figure>
  );
}

export function AggregatesTable({ domains, overall, caption }: { domains: Aggregate[]; overall: Aggregate; caption: string }) {
  const id = useId();
  return (
    <ScrollTable captionId={`${id}-caption`}>
      <table className="usa-table usa-table--borderless" data-testid="aggregates">
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col" className="text-right">
              Samples
            </th>
            <th scope="col" className="text-right">
              Correct
            </th>
            <th scope="col" className="text-right">
              Accuracy
            </th>
            <th scope="col">95% interval (Wilson)</th>
            <th scope="col" className="text-right">
              Errors
            </th>
            <th scope="col" className="text-right">
              Mean latency (ms)
            </th>
            <th scope="col" className="text-right">
              Tokens
            </th>
          </tr>
        </thead>
        <tbody>
          {[...domains, { ...overall, domain: 'All domains' }].map((a) => (
            <tr key={a.domain} data-domain={a.domain}>
              <th scope="row">{a.domain}</th>
              <td className="text-right">{a.n}</td>
              <td className="text-right">{a.correct}</td>
              <td className="text-right">{percent(a.accuracy)}</td>
              <td>{interval(a.ci)}</td>
              <td className="text-right">{a.errors}</td>
              <td className="text-right">{a.meanLatencyMs === null ? '—' : Math.round(a.meanLatencyMs)}</td>
              <td className="text-right">{formatCount(a.totalTokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
