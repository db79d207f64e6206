// A horizontal bar chart drawn in SVG, with the same numbers in a table for screen readers and for
// anyone who prefers figures to shapes. The SVG is named by the figure's caption.
import { useId } from 'react';
import { ScrollTable } from '../../components/ScrollTable.tsx';

export interface Bar {
  label: string;
  value: number;
}

const ROW = 28;
const LABEL_W = 220;
const BAR_W = 360;
const VALUE_W = 110;

function fmt(n: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(n);
}

function shorten(text: string, max = 30): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function BarChart({ title, bars, valueLabel, labelHeading, testId }: { title: string; bars: Bar[]; valueLabel: string; labelHeading: string; testId?: string }) {
  const id = useId();
  const captionId = `${id}-caption`;
  const tableCaptionId = `${id}-table`;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = Math.max(1, bars.length) * ROW + 8;
  return (
    <figure className="margin-x-0 margin-y-3" data-testid={testId}>
      <figcaption id={captionId} className="text-bold margin-bottom-1">
        {title}
      </figcaption>
      {bars.length === 0 ? (
        <p className="margin-0">Nothing to show yet.</p>
      ) : (
        <>
          <svg role="img" aria-labelledby={captionId} viewBox={`0 0 ${LABEL_W + BAR_W + VALUE_W} ${height}`} width="100%" className="maxw-tablet display-block" preserveAspectRatio="xMinYMin meet">
            {bars.map((b, i) => {
              const w = Math.max(b.value > 0 ? 2 : 0, (b.value / max) * BAR_W);
              const y = i * ROW + 4;
              return (
                <g key={`${b.label}-${i}`}>
                  <text x={LABEL_W - 8} y={y + ROW / 2} textAnchor="end" dominantBaseline="middle" fontSize="13" fill="#1b1b1b">
                    {shorten(b.label)}
                  </text>
                  <rect x={LABEL_W} y={y + 4} width={w} height={ROW - 10} fill="#005ea2" />
                  <text x={LABEL_W + w + 6} y={y + ROW / 2} dominantBaseline="middle" fontSize="13" fill="#1b1b1b">
                    {fmt(b.value)}
                  </text>
                </g>
              );
            })}
          </svg>
          <details className="margin-top-1">
            <summary>{title}: the figures as a table</summary>
            <ScrollTable captionId={tableCaptionId}>
              <table className="usa-table usa-table--borderless usa-table--compact">
                <caption id={tableCaptionId}>{title}</caption>
                <thead>
                  <tr>
                    <th scope="col">{labelHeading}</th>
                    <th scope="col" className="text-right">
                      {valueLabel}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {bars.map((b, i) => (
                    <tr key={`${b.label}-${i}`}>
                      <th scope="row">{b.label}</th>
                      <td className="text-right">{fmt(b.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          </details>
        </>
      )}
    </figure>
  );
}
