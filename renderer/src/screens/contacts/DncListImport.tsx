import { useRef, useState } from 'react';
import { Region, type ImportReport } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { uploadFile } from './files';

/**
 * Imports a national or state do-not-call list file (the registry's files of 10-digit numbers, one
 * a line, or a CSV file with a phone column), streamed in chunks; the list's name goes into each
 * added number's history.
 */
export function DncListImport({ onImported }: { onImported(): void }) {
  const client = useClient();
  const [file, setFile] = useState<File>();
  const [listName, setListName] = useState('');
  const [region, setRegion] = useState('US');
  const [sent, setSent] = useState<number>();
  const [report, setReport] = useState<ImportReport>();
  const [error, setError] = useState<string>();
  const cancel = useRef({ cancelled: false });
  const regionError = Region.safeParse(region).success ? undefined : 'Use a two-letter country code such as US';

  const start = async () => {
    if (!file || regionError) return;
    setError(undefined);
    setReport(undefined);
    cancel.current = { cancelled: false };
    setSent(0);
    try {
      const { importId } = await client.call('contacts.importBegin', { fileName: file.name.slice(0, 255), options: { target: 'dnc', listName, defaultRegion: region } });
      await uploadFile(client, importId, file, setSent, cancel.current);
      if (cancel.current.cancelled) await client.call('contacts.importCancel', { importId });
      else {
        setReport(await client.call('contacts.importFinish', { importId }));
        onImported();
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSent(undefined);
    }
  };

  return (
    <details className="dnc-list-import" data-testid="dnc-list-import">
      <summary>Import a national or state do-not-call list</summary>
      <p className="muted small">A registry file (10-digit numbers, one per line) or a CSV file with a phone column. Every number added keeps the list&apos;s name in its history.</p>
      <div className="dnc-add">
        <input type="file" accept=".txt,.csv,text/plain,text/csv" onChange={(e) => setFile(e.target.files?.[0])} data-testid="dnc-list-file" aria-label="Do-not-call list file" />
        <input value={listName} onChange={(e) => setListName(e.target.value)} maxLength={120} placeholder="List name, e.g. US National DNC Registry, area code 212" aria-label="List name" data-testid="dnc-list-name" />
        <input value={region} maxLength={2} size={4} onChange={(e) => setRegion(e.target.value.toUpperCase())} aria-label="Country of the numbers" />
        <button className="primary" disabled={!file || Boolean(regionError) || sent !== undefined} onClick={() => void start()} data-testid="dnc-list-start">
          Import list
        </button>
        {sent !== undefined && file && (
          <>
            <span className="small">{Math.round((sent / Math.max(1, file.size)) * 100)}%</span>
            <button className="ghost" onClick={() => (cancel.current.cancelled = true)}>
              Cancel
            </button>
          </>
        )}
      </div>
      {regionError && <span className="field-error">{regionError}</span>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <p data-testid="dnc-list-report">
          <strong>{report.imported.toLocaleString()}</strong> added, <strong>{report.duplicates.toLocaleString()}</strong> already on the list,{' '}
          <strong>{report.rejected.toLocaleString()}</strong> invalid
          {report.rejections.length > 0 && ` (first: line ${report.rejections[0]!.line}: ${report.rejections[0]!.reason})`}.
        </p>
      )}
    </details>
  );
}
