// Import a task suite from a JSONL, JSON or CSV file with a field mapping, so public question sets
// load without code. Nothing is written unless every row maps.
import { useState } from 'react';
import type { ChangeEvent, FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { CLASSIFICATIONS, classificationRank } from '../../classification.tsx';
import { CheckboxField, fieldError, SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { parseCompartments, splitList } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import type { SuiteDetail } from './types.ts';

type Format = 'jsonl' | 'json' | 'csv';
const SCORERS = [
  ['choice', 'Multiple-choice letter'],
  ['exact', 'Exact match'],
  ['includes', 'Answer includes the target'],
  ['regex', 'Regular expression'],
  ['numeric', 'Number within a tolerance'],
  ['ctf-flag', 'CTF flag'],
  ['model', 'Graded by a model'],
] as const;

interface BenchmarkOption {
  id: string;
  name: string;
  version: number;
  marking: { banner: string };
}

function formatOf(filename: string): Format | null {
  const ext = filename.toLowerCase().split('.').pop();
  return ext === 'jsonl' || ext === 'ndjson' ? 'jsonl' : ext === 'json' ? 'json' : ext === 'csv' ? 'csv' : null;
}

export function ImportSuite() {
  usePageTitle('Import a task suite');
  const me = useMe();
  const navigate = useNavigate();
  const benchmarks = useResource<{ items: BenchmarkOption[] }>(me.abilities.includes('benchmarks:manage') ? '/benchmarks' : null);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format>('jsonl');
  const [name, setName] = useState('');
  const [version, setVersion] = useState('1.0');
  const [description, setDescription] = useState('');
  const [input, setInput] = useState('question');
  const [choices, setChoices] = useState('choices');
  const [target, setTarget] = useState('answer');
  const [idField, setIdField] = useState('');
  const [domainField, setDomainField] = useState('domain');
  const [metadata, setMetadata] = useState('');
  const [targetAs, setTargetAs] = useState('auto');
  const [defaultDomain, setDefaultDomain] = useState('general');
  const [classification, setClassification] = useState('UNCLASSIFIED');
  const [compartments, setCompartments] = useState('');
  const [benchmarkId, setBenchmarkId] = useState('');
  const [benchmarkDomain, setBenchmarkDomain] = useState('');
  const [mode, setMode] = useState('multiple-choice');
  const [systemPrompt, setSystemPrompt] = useState('');
  const [fewShot, setFewShot] = useState('');
  const [scorer, setScorer] = useState('choice');
  const [caseInsensitive, setCaseInsensitive] = useState(true);
  const [tolerance, setTolerance] = useState('');
  const [flagPattern, setFlagPattern] = useState('');
  const [rubric, setRubric] = useState('');
  const [fileError, setFileError] = useState<string>();

  function onFile(e: ChangeEvent<HTMLInputElement>) {
    const f = e.target.files?.[0] ?? null;
    setFile(f);
    setFileError(undefined);
    if (f) {
      const detected = formatOf(f.name);
      if (detected) setFormat(detected);
      if (!name) setName(f.name.replace(/\.[^.]+$/, ''));
    }
  }

  const submit = useAction(async () => {
    if (!file) {
      setFileError('Choose a JSONL, JSON or CSV file.');
      return;
    }
    const content = await file.text();
    const choiceFields = splitList(choices);
    const scorerBody =
      scorer === 'exact' || scorer === 'includes'
        ? { kind: scorer, caseInsensitive }
        : scorer === 'numeric'
          ? { kind: scorer, ...(tolerance.trim() ? { absolute: Number(tolerance) } : {}) }
          : scorer === 'ctf-flag'
            ? { kind: scorer, ...(flagPattern.trim() ? { pattern: flagPattern.trim() } : {}) }
            : scorer === 'model'
              ? { kind: scorer, ...(rubric.trim() ? { rubric: rubric.trim() } : {}) }
              : { kind: scorer };
    const body = {
      name: name.trim(),
      version: version.trim(),
      ...(description.trim() ? { description: description.trim() } : {}),
      format,
      content,
      mapping: {
        input: input.trim(),
        ...(choiceFields.length > 1 ? { choices: choiceFields } : choiceFields.length === 1 ? { choices: choiceFields[0] } : {}),
        target: target.trim(),
        ...(idField.trim() ? { id: idField.trim() } : {}),
        ...(domainField.trim() ? { domain: domainField.trim() } : {}),
        ...(splitList(metadata).length ? { metadata: splitList(metadata) } : {}),
        targetAs,
      },
      defaultDomain: defaultDomain.trim() || 'general',
      ...(benchmarkId ? { benchmarkId, benchmarkDomain } : { classification, compartments: parseCompartments(compartments) }),
      solver: { mode, ...(systemPrompt.trim() ? { systemPrompt: systemPrompt.trim() } : {}), ...(fewShot.trim() ? { fewShot: Number(fewShot) } : {}) },
      scorer: scorerBody,
    };
    const suite = await api<SuiteDetail>('/evaluations/suites/import', { method: 'POST', body });
    navigate(`/evaluations/suites/${suite.id}`);
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void submit.run();
  }

  const levels = CLASSIFICATIONS.filter((c) => classificationRank(c) <= classificationRank(me.session.effectiveClearance));
  return (
    <>
      <p>
        <Link className="usa-link" to="/evaluations/suites">
          All task suites
        </Link>
      </p>
      <h1>Import a task suite</h1>
      <p className="usa-intro">
        Load samples from a JSONL, JSON or CSV file. Tell Forewarn which field holds the question, the choices and the answer; a suite with the same name gets a new version.
      </p>
      <ProblemAlert error={submit.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-label="Import a task suite" data-testid="import-form">
        <fieldset className="usa-fieldset">
          <legend className="usa-legend usa-legend--large">The file</legend>
          <div className={`usa-form-group${fileError || fieldError(submit.error, 'content') ? ' usa-form-group--error' : ''}`}>
            <label className="usa-label" htmlFor="suite-file">
              Suite file{' '}
              <abbr title="required" className="usa-hint usa-hint--required">
                *
              </abbr>
            </label>
            <div className="usa-hint" id="suite-file-hint">
              .jsonl (one sample per line), .json (an array, or an object with “samples”) or .csv with a header row. At most 8 MiB.
            </div>
            {fileError || fieldError(submit.error, 'content') ? (
              <span className="usa-error-message" id="suite-file-error">
                {fileError ?? fieldError(submit.error, 'content')}
              </span>
            ) : null}
            <input
              className="usa-input"
              id="suite-file"
              name="suite-file"
              type="file"
              accept=".jsonl,.ndjson,.json,.csv,application/json,text/csv"
              aria-describedby={`suite-file-hint${fileError || fieldError(submit.error, 'content') ? ' suite-file-error' : ''}`}
              onChange={onFile}
            />
          </div>
          <SelectField id="suite-format" label="Format" required value={format} onChange={(e) => setFormat(e.target.value as Format)} error={fieldError(submit.error, 'format')}>
            <option value="jsonl">JSON Lines</option>
            <option value="json">JSON</option>
            <option value="csv">CSV</option>
          </SelectField>
          <TextField id="suite-name" label="Suite name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(submit.error, 'name')} />
          <TextField id="suite-version" label="Version" hint="Versions are immutable: import again with a new version to change a suite." required maxLength={64} value={version} onChange={(e) => setVersion(e.target.value)} error={fieldError(submit.error, 'version')} />
          <TextAreaField id="suite-description" label="Description (optional)" maxLength={4000} value={description} onChange={(e) => setDescription(e.target.value)} error={fieldError(submit.error, 'description')} />
        </fieldset>

        <fieldset className="usa-fieldset margin-top-4">
          <legend className="usa-legend usa-legend--large">Field mapping</legend>
          <TextField id="map-input" label="Question field" hint="Holds the prompt text, or chat messages." required maxLength={200} value={input} onChange={(e) => setInput(e.target.value)} error={fieldError(submit.error, 'mapping.input')} />
          <TextField
            id="map-choices"
            label="Choices (optional)"
            hint="One field holding a list (for example choices), or several columns separated by commas (for example A, B, C, D)."
            maxLength={2000}
            value={choices}
            onChange={(e) => setChoices(e.target.value)}
            error={fieldError(submit.error, 'mapping.choices')}
          />
          <TextField id="map-target" label="Answer field" required maxLength={200} value={target} onChange={(e) => setTarget(e.target.value)} error={fieldError(submit.error, 'mapping.target')} />
          <SelectField id="map-target-as" label="Read the answer as" value={targetAs} onChange={(e) => setTargetAs(e.target.value)} error={fieldError(submit.error, 'mapping.targetAs')}>
            <option value="auto">Automatic (a letter, or a 0-based index of the choices)</option>
            <option value="letter">A letter (A, B, C…)</option>
            <option value="index0">A 0-based index</option>
            <option value="index1">A 1-based index</option>
            <option value="text">Text, as it is</option>
          </SelectField>
          <TextField id="map-id" label="Sample ID field (optional)" maxLength={200} value={idField} onChange={(e) => setIdField(e.target.value)} error={fieldError(submit.error, 'mapping.id')} />
          <TextField id="map-domain" label="Domain field (optional)" maxLength={200} value={domainField} onChange={(e) => setDomainField(e.target.value)} error={fieldError(submit.error, 'mapping.domain')} />
          <TextField id="map-default-domain" label="Domain of samples that name none" maxLength={100} value={defaultDomain} onChange={(e) => setDefaultDomain(e.target.value)} error={fieldError(submit.error, 'defaultDomain')} />
          <TextField id="map-metadata" label="Metadata fields (optional)" hint="Comma-separated; copied with each sample." maxLength={2000} value={metadata} onChange={(e) => setMetadata(e.target.value)} error={fieldError(submit.error, 'mapping.metadata')} />
        </fieldset>

        <fieldset className="usa-fieldset margin-top-4">
          <legend className="usa-legend usa-legend--large">Marking</legend>
          {benchmarks.data && benchmarks.data.items.length > 0 ? (
            <>
              <SelectField id="suite-benchmark" label="Part of a benchmark (optional)" hint="A benchmark suite takes the benchmark’s marking." value={benchmarkId} onChange={(e) => setBenchmarkId(e.target.value)} error={fieldError(submit.error, 'benchmarkId')}>
                <option value="">Not part of a benchmark</option>
                {benchmarks.data.items.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name} v{b.version} ({b.marking.banner})
                  </option>
                ))}
              </SelectField>
              {benchmarkId ? (
                <SelectField id="suite-benchmark-domain" label="Benchmark domain" required value={benchmarkDomain} onChange={(e) => setBenchmarkDomain(e.target.value)} error={fieldError(submit.error, 'benchmarkDomain')}>
                  <option value="">- Select -</option>
                  <option value="cyber">Cyber</option>
                  <option value="cbrn">CBRN</option>
                  <option value="autonomy">Autonomy</option>
                </SelectField>
              ) : null}
            </>
          ) : null}
          {!benchmarkId ? (
            <>
              <SelectField id="suite-classification" label="Classification" hint="At most your clearance in this session." value={classification} onChange={(e) => setClassification(e.target.value)} error={fieldError(submit.error, 'classification')}>
                {levels.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </SelectField>
              <TextField id="suite-compartments" label="Compartments (optional)" hint="Comma-separated, for example BENCH." maxLength={200} value={compartments} onChange={(e) => setCompartments(e.target.value)} error={fieldError(submit.error, 'compartments')} />
            </>
          ) : null}
        </fieldset>

        <fieldset className="usa-fieldset margin-top-4">
          <legend className="usa-legend usa-legend--large">How the model is asked and scored</legend>
          <SelectField id="solver-mode" label="Solver" value={mode} onChange={(e) => setMode(e.target.value)} error={fieldError(submit.error, 'solver.mode')}>
            <option value="multiple-choice">Multiple-choice prompting</option>
            <option value="generate">Plain generation</option>
          </SelectField>
          <TextAreaField id="solver-system" label="System prompt (optional)" maxLength={10000} value={systemPrompt} onChange={(e) => setSystemPrompt(e.target.value)} error={fieldError(submit.error, 'solver.systemPrompt')} />
          <TextField id="solver-few-shot" label="Few-shot examples (optional)" hint="How many examples from the suite to show before each question (0–20)." inputMode="numeric" maxLength={2} value={fewShot} onChange={(e) => setFewShot(e.target.value)} error={fieldError(submit.error, 'solver.fewShot')} />
          <SelectField id="scorer-kind" label="Scorer" value={scorer} onChange={(e) => setScorer(e.target.value)} error={fieldError(submit.error, 'scorer')}>
            {SCORERS.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </SelectField>
          {scorer === 'exact' || scorer === 'includes' ? <CheckboxField id="scorer-case" label="Ignore letter case" checked={caseInsensitive} onChange={(e) => setCaseInsensitive(e.target.checked)} className="margin-top-2" /> : null}
          {scorer === 'numeric' ? <TextField id="scorer-tolerance" label="Absolute tolerance (optional)" inputMode="decimal" maxLength={20} value={tolerance} onChange={(e) => setTolerance(e.target.value)} error={fieldError(submit.error, 'scorer.absolute')} /> : null}
          {scorer === 'ctf-flag' ? <TextField id="scorer-flag" label="Flag pattern (optional)" hint="A regular expression, for example flag\{[^}]+\}." maxLength={500} value={flagPattern} onChange={(e) => setFlagPattern(e.target.value)} error={fieldError(submit.error, 'scorer.pattern')} /> : null}
          {scorer === 'model' ? <TextAreaField id="scorer-rubric" label="Grading rubric (optional)" maxLength={10000} value={rubric} onChange={(e) => setRubric(e.target.value)} error={fieldError(submit.error, 'scorer.rubric')} /> : null}
        </fieldset>

        <button className="usa-button margin-top-4" type="submit" disabled={submit.pending}>
          {submit.pending ? 'Importing…' : 'Import suite'}
        </button>
      </form>
    </>
  );
}
