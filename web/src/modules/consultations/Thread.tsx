// The message thread of a consultation, at the reader's clearance, with a composer. Agency users may
// write internal notes (never shown to the developer) marked up to their clearance.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../api.ts';
import { CLASSIFICATIONS, classificationRank, markingText, useReportClassification } from '../../classification.tsx';
import type { Classification } from '../../classification.tsx';
import { CheckboxField, fieldError, SelectField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, useResource } from '../../hooks.ts';
import type { Message } from './types.ts';

export interface ThreadProps {
  consultationId: string;
  canPost: boolean;
  canPostInternal: boolean;
  /** The reader's effective clearance: the highest marking an internal note may carry. */
  clearance: Classification;
  headingLevel?: 'h2' | 'h3';
  onPosted?: () => void;
}

export function Thread({ consultationId, canPost, canPostInternal, clearance, headingLevel = 'h2', onPosted }: ThreadProps) {
  const thread = useResource<{ items: Message[]; count: number }>(`/consultations/${encodeURIComponent(consultationId)}/messages`);
  const items = thread.data?.items ?? [];
  useReportClassification(items.map((m) => m.marking));
  const H = headingLevel;
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="fw-section">
      <H id={headingId}>Messages {thread.data ? `(${thread.data.count})` : ''}</H>
      <ProblemAlert error={thread.error} />
      {thread.loading && !thread.data ? <Loading label="Loading messages…" /> : null}
      {thread.data && items.length === 0 ? <p>No messages yet.</p> : null}
      {items.length > 0 ? (
        <ol className="usa-list usa-list--unstyled" data-testid="thread">
          {items.map((m) => (
            <li key={m.id} className="border-1px border-base-lighter radius-md padding-2 margin-bottom-2" data-testid={m.internal ? 'internal-message' : 'message'}>
              <p className="margin-top-0 text-bold">
                <span className="usa-tag margin-right-1">{markingText(m.marking)}</span>
                {m.internal ? <span className="usa-tag bg-secondary-dark margin-right-1">Internal note</span> : null}
                {m.authorName ? `${m.authorName}, ` : ''}
                {m.authorOrgName} · <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
              </p>
              <p className="margin-bottom-0" style={{ whiteSpace: 'pre-wrap' }}>
                {m.body}
              </p>
            </li>
          ))}
        </ol>
      ) : null}
      {canPost ? (
        <Composer
          consultationId={consultationId}
          canPostInternal={canPostInternal}
          clearance={clearance}
          onPosted={() => {
            thread.reload();
            onPosted?.();
          }}
        />
      ) : null}
    </section>
  );
}

function Composer({ consultationId, canPostInternal, clearance, onPosted }: { consultationId: string; canPostInternal: boolean; clearance: Classification; onPosted: () => void }) {
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [classification, setClassification] = useState<Classification>('CUI');
  const [sent, setSent] = useState(false);
  const id = useId();
  // Shared with the developer: at most CUI. Internal: up to the writer's clearance.
  const top = internal ? classificationRank(clearance) : classificationRank('CUI');
  const options = CLASSIFICATIONS.filter((c) => classificationRank(c) <= top);
  const post = useAction(async () => {
    await api(`/consultations/${encodeURIComponent(consultationId)}/messages`, {
      method: 'POST',
      body: canPostInternal ? { body, internal, classification } : { body },
    });
    setBody('');
    setSent(true);
    onPosted();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSent(false);
    void post.run();
  };
  const bodyError = fieldError(post.error, 'body');
  return (
    <form className="usa-form usa-form--large" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Write a message</h3>
      <ProblemAlert error={post.error} />
      {sent ? (
        <p role="status" className="text-green">
          Message sent.
        </p>
      ) : null}
      <div className={`usa-form-group${bodyError ? ' usa-form-group--error' : ''}`}>
        <label className="usa-label" htmlFor={`${id}-body`}>
          Message
        </label>
        {bodyError ? (
          <span className="usa-error-message" id={`${id}-body-error`}>
            {bodyError}
          </span>
        ) : null}
        <textarea
          id={`${id}-body`}
          name="body"
          className="usa-textarea"
          required
          maxLength={20000}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          aria-describedby={bodyError ? `${id}-body-error` : undefined}
        />
      </div>
      {canPostInternal ? (
        <>
          <CheckboxField
            id={`${id}-internal`}
            label="Internal note (agencies only)"
            description="The developer never sees internal notes. They may carry classified analysis up to your clearance."
            checked={internal}
            onChange={(e) => {
              setInternal(e.target.checked);
              if (!e.target.checked && classificationRank(classification) > classificationRank('CUI')) setClassification('CUI');
            }}
          />
          <SelectField
            id={`${id}-marking`}
            label="Marking"
            hint={internal ? `Up to your clearance (${clearance}).` : 'A message shared with the developer is marked at most CUI.'}
            value={classification}
            error={fieldError(post.error, 'classification')}
            onChange={(e) => setClassification(e.target.value as Classification)}
          >
            {options.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </SelectField>
        </>
      ) : null}
      <button className="usa-button margin-top-2" type="submit" disabled={post.pending || body.trim() === ''}>
        {post.pending ? 'Sending…' : internal ? 'Add internal note' : 'Send message'}
      </button>
    </form>
  );
}
