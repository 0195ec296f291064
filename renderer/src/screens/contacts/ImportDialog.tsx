import { useMemo, useRef, useState } from 'react';
import { Region, type ColumnMapping, type Delimiter, type ImportPreview, type ImportReport, type MatchChoice } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { readSlice, toBase64, uploadFile } from './files';
import { ImportCheckSummary, ImportReportView } from './ImportReportView';

const SAMPLE_BYTES = 64 * 1024;
const DELIMITERS: Array<{ value: '' | Delimiter; label: string }> = [
  { value: '', label: 'Detect' },
  { value: ',', label: 'Comma' },
  { value: '\t', label: 'Tab' },
  { value: ';', label: 'Semicolon' },
  { value: '|', label: 'Pipe' },
];
const SINGLE_FIELDS = [
  ['email', 'Email'],
  ['company', 'Company'],
  ['timezone', 'Time zone'],
  ['tags', 'Tags'],
  ['consentKind', 'Consent (kind)'],
  ['consentSource', 'Consent source'],
  ['consentDate', 'Consent date'],
  ['consentEvidence', 'Consent evidence'],
] as const;

type Stage =
  | { kind: 'pick' }
  | { kind: 'preview'; file: File; preview: ImportPreview }
  | { kind: 'importing'; file: File; sent: number; checking: boolean }
  | { kind: 'checked'; file: File; check: ImportReport }
  | { kind: 'report'; report: ImportReport };

/**
 * Import a CSV/TSV: preview and map the columns; contacts are then checked over the whole file
 * (new, matching, repeated, invalid, on the do-not-call list) and the user chooses what rows
 * matching an existing contact do before anything is written; upload with progress, then the report.
 */
export function ImportDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const [stage, setStage] = useState<Stage>({ kind: 'pick' });
  const [delimiter, setDelimiter] = useState<'' | Delimiter>('');
  const [mapping, setMapping] = useState<Omit<ColumnMapping, 'phone'> & { phone: string }>({ phone: '', name: [], custom: [] });
  const [target, setTarget] = useState<'contacts' | 'dnc'>('contacts');
  const [region, setRegion] = useState('US');
  const [tags, setTags] = useState('');
  const [onMatch, setOnMatch] = useState<MatchChoice | null>(null);
  const [error, setError] = useState<string>();
  const cancel = useRef({ cancelled: false });

  const loadPreview = async (file: File, chosen: '' | Delimiter) => {
    setError(undefined);
    try {
      const sample = await readSlice(file, 0, SAMPLE_BYTES);
      const preview = await client.call('contacts.previewImport', {
        sample: toBase64(sample),
        complete: file.size <= SAMPLE_BYTES,
        ...(chosen ? { delimiter: chosen } : {}),
      });
      const suggested = preview.suggestedMapping;
      setMapping({ ...suggested, phone: suggested.phone ?? '' });
      setStage({ kind: 'preview', file, preview });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const regionError = Region.safeParse(region).success ? undefined : 'Use a two-letter country code such as US or GB';
  const mappingError = stage.kind === 'preview' && !mapping.phone ? 'Choose the column that holds the phone numbers' : undefined;

  /** Uploads the whole file; `checkOnly` counts what it would do (with 'overwrite', so renames are listed) and writes nothing. */
  const run = async (file: File, checkOnly: boolean) => {
    if (regionError || mappingError) return;
    const tagList = tags.split(',').map((t) => t.trim()).filter(Boolean);
    cancel.current = { cancelled: false };
    setStage({ kind: 'importing', file, sent: 0, checking: checkOnly });
    try {
      const choice: MatchChoice = checkOnly ? 'overwrite' : (onMatch ?? 'skip');
      const { importId } = await client.call('contacts.importBegin', {
        fileName: file.name.slice(0, 255),
        options: { target, mapping, defaultRegion: region, tags: tagList, onMatch: choice, checkOnly, ...(delimiter ? { delimiter } : {}) },
      });
      await uploadFile(client, importId, file, (sent) => setStage({ kind: 'importing', file, sent, checking: checkOnly }), cancel.current);
      if (cancel.current.cancelled) {
        await client.call('contacts.importCancel', { importId });
        onClose();
        return;
      }
      const report = await client.call('contacts.importFinish', { importId });
      setStage(checkOnly ? { kind: 'checked', file, check: report } : { kind: 'report', report });
    } catch (e) {
      setError((e as Error).message);
      setStage({ kind: 'pick' });
    }
  };
  const choiceMissing = stage.kind === 'checked' && stage.check.matched > 0 && onMatch === null;

  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="Import contacts">
      <div className="modal" data-testid="import-dialog">
        <h2>Import contacts</h2>
        {error && (
          <p className="error" role="alert" data-testid="import-error">
            {error}
          </p>
        )}
        {(stage.kind === 'pick' || stage.kind === 'preview') && (
          <label className="file-pick">
            CSV or TSV file
            <input
              type="file"
              accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
              data-testid="import-file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void loadPreview(file, delimiter);
              }}
            />
          </label>
        )}
        {stage.kind === 'preview' && (
          <PreviewStep
            preview={stage.preview}
            mapping={mapping}
            setMapping={setMapping}
            delimiter={delimiter}
            setDelimiter={(d) => {
              setDelimiter(d);
              void loadPreview(stage.file, d);
            }}
            target={target}
            setTarget={setTarget}
            region={region}
            setRegion={setRegion}
            regionError={regionError}
            tags={tags}
            setTags={setTags}
            mappingError={mappingError}
          />
        )}
        {stage.kind === 'importing' && (
          <div>
            <p>
              {stage.checking ? 'Checking' : 'Importing'} {stage.file.name}… {Math.round((stage.sent / Math.max(1, stage.file.size)) * 100)}%
            </p>
            <div className="progress" role="progressbar" aria-valuenow={stage.sent} aria-valuemax={stage.file.size}>
              <div style={{ width: `${(stage.sent / Math.max(1, stage.file.size)) * 100}%` }} />
            </div>
          </div>
        )}
        {stage.kind === 'checked' && <ImportCheckSummary check={stage.check} onMatch={onMatch} setOnMatch={setOnMatch} />}
        {stage.kind === 'report' && <ImportReportView report={stage.report} />}
        <div className="actions">
          {stage.kind === 'preview' &&
            (target === 'dnc' ? (
              <button className="primary" onClick={() => void run(stage.file, false)} disabled={Boolean(regionError || mappingError)} data-testid="import-start">
                Import to do-not-call list
              </button>
            ) : (
              <button className="primary" onClick={() => void run(stage.file, true)} disabled={Boolean(regionError || mappingError)} data-testid="import-check-file">
                Check the file
              </button>
            ))}
          {stage.kind === 'checked' && (
            <>
              {choiceMissing && <span className="field-error">Choose what rows matching existing contacts do</span>}
              <button className="primary" onClick={() => void run(stage.file, false)} disabled={choiceMissing} data-testid="import-start">
                Import contacts
              </button>
            </>
          )}
          {stage.kind === 'importing' ? (
            <button onClick={() => (cancel.current.cancelled = true)}>Cancel</button>
          ) : (
            <button onClick={onClose} data-testid="import-close">
              {stage.kind === 'report' ? 'Done' : 'Cancel'}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

interface PreviewProps {
  preview: ImportPreview;
  mapping: Omit<ColumnMapping, 'phone'> & { phone: string };
  setMapping(m: Omit<ColumnMapping, 'phone'> & { phone: string }): void;
  delimiter: '' | Delimiter;
  setDelimiter(d: '' | Delimiter): void;
  target: 'contacts' | 'dnc';
  setTarget(t: 'contacts' | 'dnc'): void;
  region: string;
  setRegion(r: string): void;
  regionError: string | undefined;
  tags: string;
  setTags(t: string): void;
  mappingError: string | undefined;
}

function PreviewStep(p: PreviewProps) {
  const { preview, mapping, setMapping } = p;
  const used = useMemo(
    () => new Set([mapping.phone, ...mapping.name, ...SINGLE_FIELDS.map(([field]) => mapping[field])].filter(Boolean) as string[]),
    [mapping],
  );
  const remap = (next: Omit<ColumnMapping, 'phone'> & { phone: string }) => {
    const taken = new Set([next.phone, ...next.name, ...SINGLE_FIELDS.map(([field]) => next[field])].filter(Boolean));
    setMapping({ ...next, custom: preview.headers.filter((h) => !taken.has(h) && next.custom.includes(h)) });
  };
  const columnSelect = (value: string | undefined, onChange: (v: string | undefined) => void, testId: string) => (
    <select value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)} data-testid={testId}>
      <option value="">(none)</option>
      {preview.headers.map((h) => (
        <option key={h} value={h}>
          {h}
        </option>
      ))}
    </select>
  );
  return (
    <>
      <p className="muted small" data-testid="import-detected">
        {preview.encoding.toUpperCase()}, columns separated by {preview.delimiter === '\t' ? 'tabs' : `"${preview.delimiter}"`}, {preview.headers.length} columns.
      </p>
      <div className="import-options">
        <label>
          Import as
          <select value={p.target} onChange={(e) => p.setTarget(e.target.value as 'contacts' | 'dnc')} data-testid="import-target">
            <option value="contacts">Contacts</option>
            <option value="dnc">Do-not-call numbers</option>
          </select>
        </label>
        <label>
          Delimiter
          <select value={p.delimiter} onChange={(e) => p.setDelimiter(e.target.value as '' | Delimiter)} data-testid="import-delimiter">
            {DELIMITERS.map((d) => (
              <option key={d.label} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Country for local numbers
          <input value={p.region} maxLength={2} size={4} onChange={(e) => p.setRegion(e.target.value.toUpperCase())} data-testid="import-region" />
          {p.regionError && <span className="field-error">{p.regionError}</span>}
        </label>
        {p.target === 'contacts' && (
          <label>
            Add tags (comma-separated)
            <input value={p.tags} onChange={(e) => p.setTags(e.target.value)} placeholder="spring-2026" data-testid="import-tags" />
          </label>
        )}
      </div>
      <fieldset>
        <legend>Columns</legend>
        <div className="mapping-grid">
          <label>
            Phone (required)
            {columnSelect(mapping.phone || undefined, (v) => remap({ ...mapping, phone: v ?? '' }), 'map-phone')}
            {p.mappingError && <span className="field-error">{p.mappingError}</span>}
          </label>
          {p.target === 'contacts' && (
            <>
              <label>
                Name
                {columnSelect(mapping.name[0], (v) => remap({ ...mapping, name: [v, mapping.name[1]].filter(Boolean) as string[] }), 'map-name')}
              </label>
              <label>
                …followed by
                {columnSelect(mapping.name[1], (v) => remap({ ...mapping, name: [mapping.name[0], v].filter(Boolean) as string[] }), 'map-name-2')}
              </label>
              {SINGLE_FIELDS.map(([field, label]) => (
                <label key={field}>
                  {label}
                  {columnSelect(mapping[field], (v) => remap({ ...mapping, [field]: v }), `map-${field}`)}
                </label>
              ))}
            </>
          )}
        </div>
        {p.target === 'contacts' && (
          <div className="small">
            Keep as custom fields:{' '}
            {preview.headers
              .filter((h) => !used.has(h))
              .map((h) => (
                <label key={h} className="inline-check">
                  <input
                    type="checkbox"
                    checked={mapping.custom.includes(h)}
                    onChange={(e) => setMapping({ ...mapping, custom: e.target.checked ? [...mapping.custom, h] : mapping.custom.filter((c) => c !== h) })}
                  />{' '}
                  {h}{' '}
                </label>
              ))}
          </div>
        )}
      </fieldset>
      <div className="preview-table">
        <table data-testid="import-preview">
          <thead>
            <tr>
              {preview.headers.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, i) => (
              <tr key={i}>
                {preview.headers.map((h, j) => (
                  <td key={h}>{row[j] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
