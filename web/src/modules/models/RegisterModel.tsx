// Register a model (developer).
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { fieldError, SelectField, TextAreaField as SharedTextAreaField, TextField } from '../../components/Field.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useReportClassification } from '../../classification.tsx';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { MODALITIES, type ModelDetail, type ModelSummary } from './types.ts';

/** A controlled text area with a length limit, as the model forms use it. */
export function TextAreaField(props: { id: string; label: string; hint?: string; value: string; onChange: (v: string) => void; error?: string; maxLength: number; required?: boolean }) {
  const { onChange, ...rest } = props;
  return <SharedTextAreaField {...rest} onChange={(e) => onChange(e.target.value)} />;
}

/** `datetime-local` → ISO instant in the browser's time zone. */
function toInstant(local: string): string {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

export function RegisterModel() {
  usePageTitle('Register a model');
  useReportClassification({ classification: 'CUI' });
  const navigate = useNavigate();
  const me = useMe();
  const existing = useResource<{ items: ModelSummary[] }>('/models');
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [modality, setModality] = useState<string>('text');
  const [lineage, setLineage] = useState('');
  const [release, setRelease] = useState('');
  const [flop, setFlop] = useState('');
  const [method, setMethod] = useState('');
  const [deployment, setDeployment] = useState('');
  const [capability, setCapability] = useState('');

  const submit = useAction(async () => {
    const m = await api<ModelDetail>('/models', {
      method: 'POST',
      body: {
        name: name.trim(),
        version: version.trim(),
        modality,
        ...(lineage ? { lineageModelId: lineage } : {}),
        plannedReleaseAt: toInstant(release),
        trainingComputeFlop: Number(flop),
        computeEstimationMethod: method.trim(),
        intendedDeployment: deployment.trim(),
        capabilitySummary: capability.trim(),
      },
    });
    navigate(`/models/${m.id}`);
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void submit.run();
  }

  if (!me.abilities.includes('models:register')) {
    return (
      <>
        <h1>Register a model</h1>
        <p>Only AI developers register models.</p>
      </>
    );
  }

  return (
    <>
      <h1>Register a model</h1>
      <p className="usa-intro">
        The model stays visible to your organisation only (marked CUI) until you choose to share it. The intended deployment and capability summary are encrypted at rest.
      </p>
      <ProblemAlert error={submit.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-label="Register a model">
        <TextField id="model-name" label="Name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(submit.error, 'name')} />
        <TextField id="model-version" label="Version" required maxLength={64} value={version} onChange={(e) => setVersion(e.target.value)} error={fieldError(submit.error, 'version')} />
        <SelectField id="model-modality" label="Modality" required value={modality} onChange={(e) => setModality(e.target.value)} error={fieldError(submit.error, 'modality')}>
          {MODALITIES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </SelectField>
        <SelectField id="model-lineage" label="Derives from (lineage)" hint="The base model, for a fine-tune or distillation." value={lineage} onChange={(e) => setLineage(e.target.value)} error={fieldError(submit.error, 'lineageModelId')}>
          <option value="">None</option>
          {(existing.data?.items ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} {m.version}
            </option>
          ))}
        </SelectField>
        <TextField id="model-release" type="datetime-local" label="Planned public release" hint="Must be in the future. Only you can move it later." required value={release} onChange={(e) => setRelease(e.target.value)} error={fieldError(submit.error, 'plannedReleaseAt')} />
        <TextField id="model-flop" label="Training compute (FLOP)" hint="For example 2.5e26." required inputMode="decimal" maxLength={40} value={flop} onChange={(e) => setFlop(e.target.value)} error={fieldError(submit.error, 'trainingComputeFlop')} />
        <TextAreaField id="model-method" label="How the compute was estimated" required maxLength={2000} value={method} onChange={setMethod} error={fieldError(submit.error, 'computeEstimationMethod')} />
        <TextAreaField id="model-deployment" label="Intended deployment" hint="Encrypted at rest." required maxLength={10000} value={deployment} onChange={setDeployment} error={fieldError(submit.error, 'intendedDeployment')} />
        <TextAreaField id="model-capability" label="Capability summary" hint="Encrypted at rest." required maxLength={20000} value={capability} onChange={setCapability} error={fieldError(submit.error, 'capabilitySummary')} />
        <button className="usa-button" type="submit" disabled={submit.pending}>
          {submit.pending ? 'Registering…' : 'Register model'}
        </button>
      </form>
    </>
  );
}
