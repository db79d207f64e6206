// The operator profile: size, priority tier and contacts, and the channels advisories reach it by
// (email, or a signed webhook with the most sensitive TLP it may receive; its secret is shown once).
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api.ts';
import { useReportClassification } from '../../classification.tsx';
import { CopyField } from '../../components/CopyField.tsx';
import { fieldError, SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { OPERATOR_SIZES, TLP_LEVELS, words, type Channel, type Contact, type Profile, type Tlp } from './types.ts';

const MAX_CONTACTS = 20;

interface TestResult {
  deliveryId: string;
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}
const emptyContact: Contact = { name: '', email: '', phone: '', role: '' };

function ProfileForm({ profile, onSaved }: { profile: Profile; onSaved: () => void }) {
  const [size, setSize] = useState(profile.size ?? '');
  const [tier, setTier] = useState(profile.priorityTier ? String(profile.priorityTier) : '');
  const [contacts, setContacts] = useState<Contact[]>(profile.contacts.length ? profile.contacts : [emptyContact]);
  const [saved, setSaved] = useState(false);
  useEffect(() => setSaved(false), [size, tier, contacts]);
  const save = useAction(async () => {
    const list = contacts
      .filter((c) => c.name.trim() || c.email.trim())
      .map((c) => ({ name: c.name.trim(), email: c.email.trim(), phone: c.phone?.trim() || null, role: c.role?.trim() || null }));
    await api('/inventory/profile', { method: 'PUT', body: { size: size || null, priorityTier: tier ? Number(tier) : null, contacts: list } });
    setSaved(true);
    onSaved();
  });
  const setContact = (i: number, patch: Partial<Contact>) => setContacts((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <form
      className="usa-form usa-form--large"
      aria-labelledby="profile-h"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <h2 id="profile-h">Profile</h2>
      <ProblemAlert error={save.error} />
      <SelectField id="profile-size" label="Organisation size" value={size} onChange={(e) => setSize(e.target.value)}>
        <option value="">Not given</option>
        {OPERATOR_SIZES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </SelectField>
      <SelectField id="profile-tier" label="Priority tier" hint="1 is the most critical: it is notified first." value={tier} onChange={(e) => setTier(e.target.value)}>
        <option value="">Not given</option>
        {[1, 2, 3, 4].map((t) => (
          <option key={t} value={t}>
            Tier {t}
          </option>
        ))}
      </SelectField>
      {contacts.map((c, i) => (
        <fieldset key={i} className="usa-fieldset margin-top-3" data-testid="contact">
          <legend className="usa-legend">Contact {i + 1}</legend>
          <TextField id={`contact-${i}-name`} label={`Name of contact ${i + 1}`} maxLength={200} value={c.name} onChange={(e) => setContact(i, { name: e.target.value })} error={fieldError(save.error, `contacts.${i}.name`)} />
          <TextField id={`contact-${i}-email`} type="email" label={`Email of contact ${i + 1}`} maxLength={320} value={c.email} onChange={(e) => setContact(i, { email: e.target.value })} />
          <TextField id={`contact-${i}-phone`} type="tel" label={`Phone of contact ${i + 1} (optional)`} maxLength={50} value={c.phone ?? ''} onChange={(e) => setContact(i, { phone: e.target.value })} />
          <TextField id={`contact-${i}-role`} label={`Role of contact ${i + 1} (optional)`} maxLength={200} value={c.role ?? ''} onChange={(e) => setContact(i, { role: e.target.value })} />
          <button className="usa-button usa-button--unstyled margin-top-1" type="button" onClick={() => setContacts((cs) => cs.filter((_, j) => j !== i))}>
            Remove contact {i + 1}
          </button>
        </fieldset>
      ))}
      <button className="usa-button usa-button--outline margin-top-2" type="button" disabled={contacts.length >= MAX_CONTACTS} onClick={() => setContacts((cs) => [...cs, emptyContact])}>
        Add a contact
      </button>
      <button className="usa-button margin-top-2" type="submit" disabled={save.pending}>
        Save profile
      </button>
      {saved ? (
        <Notice type="success" slim role="status">
          <p className="margin-0">Profile saved.</p>
        </Notice>
      ) : null}
    </form>
  );
}

function AddChannelForm({ onAdded }: { onAdded: () => void }) {
  const [kind, setKind] = useState<'email' | 'webhook'>('email');
  const [address, setAddress] = useState('');
  const [tlpMax, setTlpMax] = useState<Tlp>('CLEAR');
  const [created, setCreated] = useState<Channel & { secret: string | null }>();
  const add = useAction(async () => {
    setCreated(undefined);
    const body = kind === 'email' ? { kind, address: address.trim() } : { kind, address: address.trim(), tlpMax };
    const c = await api<Channel & { secret: string | null }>('/inventory/profile/channels', { method: 'POST', body });
    setCreated(c);
    setAddress('');
    onAdded();
  });
  return (
    <form
      className="usa-form usa-form--large"
      aria-labelledby="channel-h"
      onSubmit={(e) => {
        e.preventDefault();
        void add.run();
      }}
    >
      <h3 id="channel-h">Add a channel</h3>
      <ProblemAlert error={add.error} />
      <SelectField id="channel-kind" label="Kind" value={kind} onChange={(e) => setKind(e.target.value as 'email' | 'webhook')}>
        <option value="email">Email</option>
        <option value="webhook">Webhook (signed HTTPS POST)</option>
      </SelectField>
      <TextField
        id="channel-address"
        type={kind === 'email' ? 'email' : 'url'}
        label={kind === 'email' ? 'Email address' : 'Webhook URL'}
        required
        maxLength={kind === 'email' ? 320 : 2000}
        value={address}
        onChange={(e) => setAddress(e.target.value)}
        error={fieldError(add.error, 'address')}
      />
      {kind === 'webhook' ? (
        <SelectField id="channel-tlp" label="Most sensitive TLP this webhook may receive" hint="Advisories marked above it are announced without their content." value={tlpMax} onChange={(e) => setTlpMax(e.target.value as Tlp)}>
          {TLP_LEVELS.map((t) => (
            <option key={t} value={t}>
              TLP:{t}
            </option>
          ))}
        </SelectField>
      ) : null}
      <button className="usa-button" type="submit" disabled={add.pending}>
        Add channel
      </button>
      {created?.secret ? (
        <Notice type="warning" heading="Copy the signing secret now" headingLevel="h4" role="status" testId="webhook-secret">
          <p>Forewarn signs each delivery to {created.address} with this secret. It is shown only this once.</p>
          <CopyField id="webhook-secret-value" label="Webhook signing secret" value={created.secret} />
        </Notice>
      ) : created ? (
        <Notice type="success" slim role="status">
          <p className="margin-0">Channel {created.address} added.</p>
        </Notice>
      ) : null}
    </form>
  );
}

export function OperatorProfile() {
  usePageTitle('Operator profile');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const { data, error, loading, reload } = useResource<Profile>('/inventory/profile');
  const remove = useAction(async (c: Channel) => {
    await api(`/inventory/profile/channels/${c.id}`, { method: 'DELETE' });
    reload();
  });
  const [tested, setTested] = useState<{ address: string; result: TestResult }>();
  const test = useAction(async (c: Channel) => {
    setTested(undefined);
    const result = await api<TestResult>(`/inventory/profile/channels/${c.id}/test`, { method: 'POST' });
    setTested({ address: c.address, result });
  });
  return (
    <>
      <p>
        <Link to="/inventory">Inventory</Link>
      </p>
      <h1>Operator profile</h1>
      <ProblemAlert error={error ?? remove.error ?? test.error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <dl className="fw-summary">
            <dt>Organisation</dt>
            <dd>{data.orgName}</dd>
            <dt>Sector</dt>
            <dd>{words(data.sector)}</dd>
          </dl>
          <ProfileForm key={data.orgId} profile={data} onSaved={reload} />
          <section aria-labelledby="channels-h" className="fw-section">
            <h2 id="channels-h">Notification channels</h2>
            {data.channels.length === 0 ? <p>No channels yet: advisories reach your contacts by email only.</p> : null}
            {data.channels.length > 0 ? (
              <ScrollTable captionId="channels-caption">
                <table className="usa-table usa-table--borderless" data-testid="channels">
                  <caption id="channels-caption">Channels</caption>
                  <thead>
                    <tr>
                      <th scope="col">Address</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Most sensitive TLP</th>
                      <th scope="col">Added</th>
                      <th scope="col">Action</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.channels.map((c) => (
                      <tr key={c.id}>
                        <th scope="row" className="fw-mono">
                          {c.address}
                        </th>
                        <td>{c.kind}</td>
                        <td>TLP:{c.tlpMax}</td>
                        <td>{formatDateTime(c.createdAt)}</td>
                        <td>
                          {c.kind === 'webhook' ? (
                            <button className="usa-button usa-button--unstyled display-block margin-bottom-1" type="button" disabled={test.pending} onClick={() => void test.run(c)}>
                              Send a test event to {c.address}
                            </button>
                          ) : null}
                          <button className="usa-button usa-button--unstyled" type="button" onClick={() => void remove.run(c)}>
                            Remove {c.address}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
            ) : null}
            {tested ? (
              <Notice type={tested.result.delivered ? 'success' : 'error'} slim role="status" testId="webhook-test">
                <p className="margin-0">
                  {tested.result.delivered ? `${tested.address} answered` : `${tested.address} did not accept the test event`}
                  {tested.result.statusCode !== null ? ` HTTP ${tested.result.statusCode}` : ''} in {tested.result.durationMs} ms
                  {tested.result.error ? `: ${tested.result.error}` : '.'}
                </p>
              </Notice>
            ) : null}
            <AddChannelForm onAdded={reload} />
          </section>
        </>
      ) : null}
    </>
  );
}
