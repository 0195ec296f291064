import { useEffect, useState, type FormEvent } from 'react';
import { AttemptOutcome, ParleyError, SegmentFilter, type Contact, type CustomFieldCondition, type Segment, type SegmentFilterInput } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

const OPS: Array<[CustomFieldCondition['op'], string]> = [
  ['equals', 'is'],
  ['not-equals', 'is not'],
  ['contains', 'contains'],
  ['is-set', 'is filled in'],
  ['is-empty', 'is empty'],
];
const splitTags = (text: string) => text.split(',').map((t) => t.trim()).filter(Boolean);

interface Props {
  segment?: Segment;
  fields: { tags: Array<{ tag: string; count: number }>; customFields: string[] };
  onSaved(segment: Segment): void;
  onDeleted(): void;
}

/** Builds a segment's filter with the live number of matching contacts and a sample of them. */
export function SegmentEditor({ segment, fields, onSaved, onDeleted }: Props) {
  const client = useClient();
  const initial = segment?.filter ?? SegmentFilter.parse({});
  const [name, setName] = useState(segment?.name ?? '');
  const [search, setSearch] = useState(initial.search);
  const [tagsAny, setTagsAny] = useState(initial.tagsAny.join(', '));
  const [tagsAll, setTagsAll] = useState(initial.tagsAll.join(', '));
  const [tagsNone, setTagsNone] = useState(initial.tagsNone.join(', '));
  const [custom, setCustom] = useState<CustomFieldCondition[]>(initial.custom);
  const [outcomes, setOutcomes] = useState<string[]>(initial.lastOutcomes);
  const [neverCalled, setNeverCalled] = useState<'' | 'yes' | 'no'>(initial.neverCalled === null ? '' : initial.neverCalled ? 'yes' : 'no');
  const [notFor, setNotFor] = useState(initial.notContactedForDays?.toString() ?? '');
  const [within, setWithin] = useState(initial.contactedWithinDays?.toString() ?? '');
  const [preview, setPreview] = useState<{ count: number; callable: number; sample: Contact[] }>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();

  const filterInput: SegmentFilterInput = {
    search,
    tagsAny: splitTags(tagsAny),
    tagsAll: splitTags(tagsAll),
    tagsNone: splitTags(tagsNone),
    custom: custom.filter((c) => c.field),
    lastOutcomes: outcomes as AttemptOutcome[],
    neverCalled: neverCalled === '' ? null : neverCalled === 'yes',
    notContactedForDays: notFor === '' ? null : Number(notFor),
    contactedWithinDays: within === '' ? null : Number(within),
  };
  const parsed = SegmentFilter.safeParse(filterInput);
  const filterKey = JSON.stringify(filterInput);

  useEffect(() => {
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    let live = true;
    const timer = setTimeout(() => {
      client
        .call('segments.preview', { filter: parsed.data, sampleSize: 10 })
        .then((p) => live && setPreview(p))
        .catch((e: Error) => live && setMessage(e.message));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [filterKey, client]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setErrors({ name: 'Name is required' });
    if (!parsed.success) return;
    setMessage(undefined);
    try {
      const saved = segment
        ? await client.call('segments.update', { id: segment.id, patch: { name, filter: parsed.data } })
        : await client.call('segments.create', { name, filter: parsed.data });
      setMessage('Saved');
      onSaved(saved);
    } catch (e) {
      if (e instanceof ParleyError && e.issues) setErrors(Object.fromEntries(e.issues.map((i) => [i.path.replace(/^(patch\.)?(filter\.)?/, '').split('.')[0]!, i.message])));
      setMessage((e as Error).message);
    }
  };

  const remove = async () => {
    if (!segment) return;
    try {
      await client.call('segments.delete', { id: segment.id });
      onDeleted();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };

  return (
    <form className="segment-editor" onSubmit={save} noValidate data-testid="segment-editor">
      <h2>{segment ? 'Edit segment' : 'New segment'}</h2>
      <p className="live-count" role="status" aria-live="polite">
        <strong data-testid="segment-count">{preview ? preview.count.toLocaleString() : '…'}</strong> contacts match
        {preview && preview.callable !== preview.count && <span className="muted"> ({preview.callable.toLocaleString()} callable, the rest are on the do-not-call list)</span>}
      </p>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} data-testid="segment-name" />
        {errors.name && <span className="field-error">{errors.name}</span>}
      </label>
      <div className="filter-grid">
        <label>
          Text (name, phone, email, company)
          <input value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label>
          Has any of these tags
          <input value={tagsAny} onChange={(e) => setTagsAny(e.target.value)} list="segment-tags" placeholder="vip, renewal" data-testid="segment-tags-any" />
          {errors.tagsAny && <span className="field-error">{errors.tagsAny}</span>}
        </label>
        <label>
          Has all of these tags
          <input value={tagsAll} onChange={(e) => setTagsAll(e.target.value)} list="segment-tags" />
          {errors.tagsAll && <span className="field-error">{errors.tagsAll}</span>}
        </label>
        <label>
          Has none of these tags
          <input value={tagsNone} onChange={(e) => setTagsNone(e.target.value)} list="segment-tags" />
          {errors.tagsNone && <span className="field-error">{errors.tagsNone}</span>}
        </label>
        <label>
          Never called
          <select value={neverCalled} onChange={(e) => setNeverCalled(e.target.value as '' | 'yes' | 'no')} data-testid="segment-never-called">
            <option value="">Any</option>
            <option value="yes">Never called</option>
            <option value="no">Called at least once</option>
          </select>
        </label>
        <label>
          Not called in the last … days
          <input type="number" min={0} max={3650} value={notFor} onChange={(e) => setNotFor(e.target.value)} />
          {errors.notContactedForDays && <span className="field-error">{errors.notContactedForDays}</span>}
        </label>
        <label>
          Called within the last … days
          <input type="number" min={0} max={3650} value={within} onChange={(e) => setWithin(e.target.value)} />
          {errors.contactedWithinDays && <span className="field-error">{errors.contactedWithinDays}</span>}
        </label>
      </div>
      <datalist id="segment-tags">
        {fields.tags.map((t) => (
          <option key={t.tag} value={t.tag}>{`${t.tag} (${t.count})`}</option>
        ))}
      </datalist>
      <fieldset>
        <legend>Last call outcome</legend>
        <div className="checks">
          {AttemptOutcome.options.map((o) => (
            <label key={o}>
              <input type="checkbox" checked={outcomes.includes(o)} onChange={(e) => setOutcomes(e.target.checked ? [...outcomes, o] : outcomes.filter((x) => x !== o))} />
              {o}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Custom fields</legend>
        {custom.map((c, i) => (
          <div className="condition-row" key={i}>
            <select value={c.field} onChange={(e) => setCustom(custom.map((x, j) => (j === i ? { ...x, field: e.target.value } : x)))} aria-label="Field">
              <option value="">(field)</option>
              {[...new Set([...fields.customFields, c.field].filter(Boolean))].map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
            <select value={c.op} onChange={(e) => setCustom(custom.map((x, j) => (j === i ? { ...x, op: e.target.value as CustomFieldCondition['op'] } : x)))} aria-label="Condition">
              {OPS.map(([op, label]) => (
                <option key={op} value={op}>
                  {label}
                </option>
              ))}
            </select>
            <input value={c.value} disabled={c.op === 'is-set' || c.op === 'is-empty'} onChange={(e) => setCustom(custom.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} aria-label="Value" />
            <button type="button" className="ghost" onClick={() => setCustom(custom.filter((_, j) => j !== i))} aria-label="Remove condition">
              ✕
            </button>
          </div>
        ))}
        <button type="button" className="ghost" onClick={() => setCustom([...custom, { field: fields.customFields[0] ?? '', op: 'equals', value: '' }])}>
          + Add condition
        </button>
        {errors.custom && <span className="field-error">{errors.custom}</span>}
      </fieldset>
      {preview && preview.sample.length > 0 && (
        <div>
          <h3 className="small muted">First matches</h3>
          <ul className="sample-list" data-testid="segment-sample">
            {preview.sample.map((c) => (
              <li key={c.id}>
                {c.name || '(no name)'} — {c.phone}
                {c.dnc ? ' (DNC)' : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="actions">
        <button className="primary" type="submit" data-testid="save-segment">
          {segment ? 'Save changes' : 'Create segment'}
        </button>
        {segment && (
          <button type="button" className="danger" onClick={() => void remove()}>
            Delete
          </button>
        )}
        {message && (
          <span role="status" className={message === 'Saved' ? 'ok' : 'field-error'} data-testid="segment-message">
            {message}
          </span>
        )}
      </div>
    </form>
  );
}
