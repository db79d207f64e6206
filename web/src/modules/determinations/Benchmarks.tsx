// The classified benchmarks (NSA defines them; readable only with the clearance and compartment).
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../api.ts';
import { CheckboxField, SelectField, TextField, fieldError } from '../../components/Field.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { splitList } from '../../format.ts';
import { useAction } from '../../hooks.ts';
import { DOMAINS, DOMAIN_LABEL, type Benchmark } from './types.ts';

type Domain = (typeof DOMAINS)[number];
interface DomainDraft {
  on: boolean;
  suites: string;
  rule: string;
}

const RULES = [
  ['mean_score', 'Mean score'],
  ['max_score', 'Highest score'],
  ['pass_rate', 'Pass rate'],
] as const;

export function BenchmarkTable({ items }: { items: Benchmark[] }) {
  if (items.length === 0) return <p>No benchmark you are cleared to read.</p>;
  return (
    <ScrollTable captionId="bench-caption">
      <table className="usa-table usa-table--borderless width-full" data-testid="benchmarks-table">
        <caption id="bench-caption">Benchmarks</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Version</th>
            <th scope="col">Domains, suites and scoring rule</th>
            <th scope="col">Marking</th>
          </tr>
        </thead>
        <tbody>
          {items.map((b) => (
            <tr key={b.id}>
              <th scope="row">{b.name}</th>
              <td>{b.version}</td>
              <td>
                <ul className="usa-list usa-list--unstyled">
                  {b.domains.map((d) => (
                    <li key={d.domain}>
                      {DOMAIN_LABEL[d.domain] ?? d.domain}: {d.suites.join(', ')} ({RULES.find(([k]) => k === d.rule)?.[1] ?? d.rule})
                    </li>
                  ))}
                </ul>
              </td>
              <td className="fw-mono">{b.marking.banner}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

export function BenchmarkForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [version, setVersion] = useState('1');
  const [classification, setClassification] = useState('SECRET');
  const [domains, setDomains] = useState<Record<Domain, DomainDraft>>({
    cyber: { on: true, suites: '', rule: 'mean_score' },
    cbrn: { on: false, suites: '', rule: 'mean_score' },
    autonomy: { on: false, suites: '', rule: 'mean_score' },
  });
  const act = useAction(async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name,
      version: Number(version),
      classification,
      compartments: ['BENCH'],
      domains: DOMAINS.filter((d) => domains[d].on).map((d) => ({ domain: d, suites: splitList(domains[d].suites), rule: domains[d].rule })),
    };
    await api('/benchmarks', { method: 'POST', body });
    setName('');
    onDone();
  });
  const set = (d: Domain, patch: Partial<DomainDraft>) => setDomains({ ...domains, [d]: { ...domains[d], ...patch } });
  return (
    <form className="usa-form usa-form--large" onSubmit={(e) => void act.run(e)} aria-labelledby="bench-form-heading">
      <h2 id="bench-form-heading">Define a benchmark version</h2>
      <ProblemAlert error={act.error} />
      <TextField id="bench-name" label="Name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(act.error, 'name')} />
      <TextField id="bench-version" label="Version" type="number" min={1} required value={version} onChange={(e) => setVersion(e.target.value)} error={fieldError(act.error, 'version')} />
      <SelectField id="bench-classification" label="Classification (with the BENCH compartment)" value={classification} onChange={(e) => setClassification(e.target.value)}>
        <option value="SECRET">SECRET//BENCH</option>
        <option value="TOP SECRET">TOP SECRET//BENCH</option>
      </SelectField>
      {DOMAINS.map((d) => (
        <fieldset key={d} className="usa-fieldset margin-top-2">
          <legend className="usa-legend">{DOMAIN_LABEL[d]} domain</legend>
          <CheckboxField id={`bench-${d}-on`} label={`Score the ${DOMAIN_LABEL[d]} domain`} checked={domains[d].on} onChange={(e) => set(d, { on: e.target.checked })} />
          {domains[d].on ? (
            <>
              <TextField id={`bench-${d}-suites`} label="Task suites" hint="Suite references, separated by commas." value={domains[d].suites} onChange={(e) => set(d, { suites: e.target.value })} />
              <SelectField id={`bench-${d}-rule`} label="Scoring rule" value={domains[d].rule} onChange={(e) => set(d, { rule: e.target.value })}>
                {RULES.map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </SelectField>
            </>
          ) : null}
        </fieldset>
      ))}
      <button className="usa-button" type="submit" disabled={act.pending}>
        Define benchmark
      </button>
    </form>
  );
}
