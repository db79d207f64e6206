// The public, unclassified transparency report: aggregate counts per quarter with small-cell suppression.
import { useState } from 'react';
import { apiUrl } from '../../api.ts';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { usePageTitle, useResource } from '../../hooks.ts';

interface Cell {
  value: number | null;
  suppressed: boolean;
}
type Keyed = (Cell & { key: string })[];
interface Report {
  quarter: string;
  threshold: number;
  method: string;
  consultations: Cell;
  determinationsByOutcome: Keyed;
  windows: { opened: Cell; closed: Cell; medianPlannedDays: Cell; medianActualDays: Cell; plannedLengths: Keyed; withdrawnWithModel: Cell };
  withdrawals: Cell;
  partners: { applications: Cell; vettingByOutcome: Keyed; decisionsByOutcome: Keyed; appealsByOutcome: Keyed };
  findings: { available: boolean; byKind: Keyed; bySeverity: Keyed; medianDaysToMitigation: Cell };
  headStart: HeadStart | null;
}

interface HeadStartCell {
  affected: number | null;
  patchedBeforeRelease: number | null;
  share: number | null;
  suppressed: boolean;
}
interface HeadStart extends HeadStartCell {
  models: number | null;
  bySector: (HeadStartCell & { sector: string })[];
}
const headStartCell = (c: HeadStartCell): Cell => (c.suppressed || c.share === null ? { value: null, suppressed: c.suppressed } : { value: Math.round(c.share * 100), suppressed: false });

const show = (c: Cell) => (c.suppressed ? 'suppressed' : c.value === null ? '—' : String(c.value));
const words = (k: string) => k.replace(/_/g, ' ');

function Table({ id, caption, rows }: { id: string; caption: string; rows: [string, Cell][] }) {
  return (
    <ScrollTable captionId={`${id}-caption`}>
      <table className="usa-table usa-table--borderless">
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([k, c]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td data-testid={`${id}-${k}`}>{show(c)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

export function TransparencyPage() {
  usePageTitle('Transparency report');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const [quarter, setQuarter] = useState('');
  const valid = /^\d{4}-Q[1-4]$/.test(quarter);
  const { data, error, loading } = useResource<Report>('/transparency/report', valid ? { quarter } : undefined);
  return (
    <>
      <h1>Transparency report</h1>
      <p className="usa-intro">What the voluntary review framework did each quarter, in aggregate. No developer, model or partner can be identified from it.</p>
      <form className="usa-form" onSubmit={(e) => e.preventDefault()}>
        <TextField id="quarter" label="Quarter" hint="For example 2026-Q4; empty for the current quarter." value={quarter} onChange={(e) => setQuarter(e.target.value.trim())} />
      </form>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <h2>{data.quarter}</h2>
          <p>{data.method}</p>
          <p>
            <a className="usa-link" href={apiUrl('/transparency/report.csv', { quarter: data.quarter })}>
              Download as CSV
            </a>
          </p>
          <Table
            id="framework"
            caption="Consultations, determinations, windows and withdrawals"
            rows={[
              ['consultations', data.consultations],
              ...data.determinationsByOutcome.map((x): [string, Cell] => [`determinations: ${words(x.key)}`, x]),
              ['windows opened', data.windows.opened],
              ['windows closed', data.windows.closed],
              ['median planned window length (days)', data.windows.medianPlannedDays],
              ['median actual window length (days)', data.windows.medianActualDays],
              ...data.windows.plannedLengths.map((x): [string, Cell] => [`windows planned ${words(x.key)}`, x]),
              ['models withdrawn from the framework', data.withdrawals],
            ]}
          />
          <Table
            id="partners"
            caption="Trusted partners"
            rows={[
              ['applications', data.partners.applications],
              ...data.partners.vettingByOutcome.map((x): [string, Cell] => [`vetting: ${words(x.key)}`, x]),
              ...data.partners.decisionsByOutcome.map((x): [string, Cell] => [`panel decisions: ${words(x.key)}`, x]),
              ...data.partners.appealsByOutcome.map((x): [string, Cell] => [`appeals: ${words(x.key)}`, x]),
            ]}
          />
          {data.findings.available ? (
            <Table
              id="findings"
              caption="Findings (marked at most CUI)"
              rows={[
                ...data.findings.byKind.map((x): [string, Cell] => [`kind: ${words(x.key)}`, x]),
                ...data.findings.bySeverity.map((x): [string, Cell] => [`severity: ${words(x.key)}`, x]),
                ['median days from finding to mitigation', data.findings.medianDaysToMitigation],
              ]}
            />
          ) : (
            <p>Findings are not yet recorded on this platform.</p>
          )}
          {data.headStart && data.headStart.models !== null && data.headStart.models > 0 ? (
            <Table
              id="head-start"
              caption="Defender head start: percent of affected operators patched before the release of models released this quarter"
              rows={[
                ['all sectors (percent)', headStartCell(data.headStart)],
                ...data.headStart.bySector.map((x): [string, Cell] => [`${words(x.sector)} (percent)`, headStartCell(x)]),
              ]}
            />
          ) : (
            <p>No reviewed model with a published advisory was released this quarter.</p>
          )}
        </>
      ) : null}
    </>
  );
}
