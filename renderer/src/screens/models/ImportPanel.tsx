import { useState, type FormEvent } from 'react';
import { useClient } from '../../ClientContext';
import { useModels } from './store';

/** Step 3b: offline offices import the same files from a folder or USB stick. */
export function ImportPanel() {
  const client = useClient();
  const outcome = useModels((s) => s.lastImport);
  const [folder, setFolder] = useState('');
  const [link, setLink] = useState(false);
  const [trust, setTrust] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    await useModels.getState().importFolder(client, folder.trim(), link, trust);
    setBusy(false);
  };

  return (
    <section className="models-card" aria-label="Import from a folder">
      <h2>Import from a folder</h2>
      <p className="muted small">No internet? Copy the model files to a USB stick or share, and give the folder as the engine machine sees it. Files are recognised by their checksum and verified.</p>
      <form className="models-row" onSubmit={(e) => void submit(e)}>
        <input aria-label="Folder to import from" placeholder="/media/usb/parley-models" value={folder} data-testid="models-import-folder" onChange={(e) => setFolder(e.target.value)} />
        <button type="submit" disabled={busy || folder.trim() === ''} data-testid="models-import">
          {busy ? 'Importing…' : 'Import'}
        </button>
      </form>
      <label className="models-check">
        <input type="checkbox" checked={link} onChange={(e) => setLink(e.target.checked)} /> Link instead of copy (same disk only)
      </label>
      <label className="models-check">
        <input type="checkbox" checked={trust} onChange={(e) => setTrust(e.target.checked)} /> Accept files the catalog cannot verify
      </label>
      {outcome && (
        <div data-testid="models-import-result">
          {outcome.imported.map((m) => (
            <p key={m.modelId} className="ok">
              Imported {m.name}
            </p>
          ))}
          {outcome.alreadyInstalled.map((id) => (
            <p key={id} className="muted">
              Already installed: {id}
            </p>
          ))}
          {outcome.incomplete.map((m) => (
            <p key={m.modelId} className="muted">
              {m.modelId} is incomplete: missing {m.missing.join(', ')}
            </p>
          ))}
          {outcome.rejected.map((r) => (
            <p key={r.file} className="error">
              {r.file}: {r.message}
            </p>
          ))}
          {outcome.imported.length + outcome.rejected.length + outcome.alreadyInstalled.length + outcome.incomplete.length === 0 && <p className="muted">No catalog model found in that folder.</p>}
        </div>
      )}
    </section>
  );
}
