import { useEffect, useState, type FormEvent } from 'react';
import type { MirrorRule } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

/** Download sources: rules that send catalog URLs to an office mirror first (e.g. Hugging Face to a local server). */
export function MirrorsPanel() {
  const client = useClient();
  const [mirrors, setMirrors] = useState<MirrorRule[]>([]);
  const [from, setFrom] = useState('https://huggingface.co/');
  const [to, setTo] = useState('');
  const [privateNetwork, setPrivateNetwork] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    void client.call('models.getSettings', {}).then((s) => setMirrors(s.mirrors), (e: Error) => setError(e.message));
  }, [client]);

  const save = async (next: MirrorRule[]) => {
    try {
      setError(undefined);
      setMirrors((await client.call('models.setSettings', { mirrors: next })).mirrors);
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    }
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (await save([...mirrors, { from: from.trim(), to: to.trim(), ...(privateNetwork ? { allowPrivateNetwork: true } : {}) }])) setTo('');
  };

  return (
    <section className="models-card" aria-label="Download sources">
      <h2>Download sources</h2>
      <p className="muted small">A mirror rule tries another server first for every URL that starts with the given prefix; the original URL stays as the fallback. Downloads come only from the catalog and these mirror hosts.</p>
      <ul className="models-picks">
        {mirrors.map((m, i) => (
          <li key={`${m.from}->${m.to}`} className="models-row" data-testid="models-mirror">
            <code>{m.from}</code> → <code>{m.to}</code>
            {m.allowPrivateNetwork && <span className="muted small">(office network allowed)</span>}
            <button className="ghost danger" onClick={() => void save(mirrors.filter((_, j) => j !== i))}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form className="models-row" onSubmit={(e) => void add(e)}>
        <input aria-label="URL prefix to redirect" value={from} onChange={(e) => setFrom(e.target.value)} />
        <input aria-label="Mirror prefix" placeholder="http://models.office.lan/hf/" value={to} data-testid="models-mirror-to" onChange={(e) => setTo(e.target.value)} />
        <label className="small" title="Needed for a mirror on this machine or the office network (loopback, link-local or private addresses)">
          <input type="checkbox" style={{ width: 'auto' }} checked={privateNetwork} onChange={(e) => setPrivateNetwork(e.target.checked)} data-testid="models-mirror-private" /> on the office network
        </label>
        <button type="submit" disabled={!from.trim() || !to.trim()} data-testid="models-mirror-add">
          Add
        </button>
      </form>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
