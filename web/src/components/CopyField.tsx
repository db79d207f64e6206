// A read-only text field with a "Copy" button (for secrets shown once).
import { useState } from 'react';

export interface CopyFieldProps {
  id: string;
  label: string;
  value: string;
  hint?: string;
}

export function CopyField({ id, label, value, hint }: CopyFieldProps) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('copied');
    } catch {
      const input = document.getElementById(id) as HTMLInputElement | null;
      input?.select();
      setCopied(document.execCommand?.('copy') ? 'copied' : 'failed');
    }
  }

  return (
    <div className="usa-form-group">
      <label className="usa-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="usa-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      <div className="fw-copy-field">
        <input
          className="usa-input fw-mono"
          id={id}
          name={id}
          type="text"
          readOnly
          value={value}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="usa-button usa-button--outline" onClick={() => void copy()}>
          Copy<span className="usa-sr-only"> {label.toLowerCase()}</span>
        </button>
      </div>
      <p className="usa-hint margin-top-05" role="status" aria-live="polite">
        {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copy failed: select the text and copy it.' : ''}
      </p>
    </div>
  );
}
