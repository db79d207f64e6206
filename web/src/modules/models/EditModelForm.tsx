// Change a model's descriptive fields (developer). The release date is not here: it moves only
// through the review-window page, and only by the developer.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../api.ts';
import { fieldError, SelectField, TextField } from '../../components/Field.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useAction } from '../../hooks.ts';
import { TextAreaField } from './RegisterModel.tsx';
import { MODALITIES, type ModelDetail } from './types.ts';

export function EditModelForm({ model, onSaved }: { model: ModelDetail; onSaved: () => void }) {
  const [name, setName] = useState(model.name);
  const [modality, setModality] = useState(model.modality);
  const [flop, setFlop] = useState(String(model.trainingComputeFlop));
  const [method, setMethod] = useState(model.computeEstimationMethod);
  const [deployment, setDeployment] = useState(model.intendedDeployment);
  const [capability, setCapability] = useState(model.capabilitySummary);
  const [saved, setSaved] = useState(false);

  const save = useAction(async () => {
    const patch: Record<string, unknown> = {};
    if (name.trim() !== model.name) patch.name = name.trim();
    if (modality !== model.modality) patch.modality = modality;
    if (Number(flop) !== model.trainingComputeFlop) patch.trainingComputeFlop = Number(flop);
    if (method.trim() !== model.computeEstimationMethod) patch.computeEstimationMethod = method.trim();
    if (deployment.trim() !== model.intendedDeployment) patch.intendedDeployment = deployment.trim();
    if (capability.trim() !== model.capabilitySummary) patch.capabilitySummary = capability.trim();
    if (Object.keys(patch).length === 0) return;
    await api(`/models/${model.id}`, { method: 'PATCH', body: patch });
    setSaved(true);
    onSaved();
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    void save.run();
  }

  return (
    <details className="fw-section">
      <summary>Edit the model&rsquo;s details</summary>
      <ProblemAlert error={save.error} />
      <div aria-live="polite">
        {saved ? (
          <Notice type="success" slim>
            <p className="margin-0">Saved.</p>
          </Notice>
        ) : null}
      </div>
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-label="Edit the model’s details">
        <TextField id="edit-name" label="Name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(save.error, 'name')} />
        <SelectField id="edit-modality" label="Modality" required value={modality} onChange={(e) => setModality(e.target.value)} error={fieldError(save.error, 'modality')}>
          {MODALITIES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </SelectField>
        <TextField id="edit-flop" label="Training compute (FLOP)" required inputMode="decimal" maxLength={40} value={flop} onChange={(e) => setFlop(e.target.value)} error={fieldError(save.error, 'trainingComputeFlop')} />
        <TextAreaField id="edit-method" label="How the compute was estimated" required maxLength={2000} value={method} onChange={setMethod} error={fieldError(save.error, 'computeEstimationMethod')} />
        <TextAreaField id="edit-deployment" label="Intended deployment" required maxLength={10000} value={deployment} onChange={setDeployment} error={fieldError(save.error, 'intendedDeployment')} />
        <TextAreaField id="edit-capability" label="Capability summary" required maxLength={20000} value={capability} onChange={setCapability} error={fieldError(save.error, 'capabilitySummary')} />
        <button className="usa-button usa-button--outline" type="submit" disabled={save.pending}>
          Save details
        </button>
      </form>
    </details>
  );
}
