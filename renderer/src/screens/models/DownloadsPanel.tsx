import { useClient } from '../../ClientContext';
import { formatBytes, formatEta, useModels } from './store';

/** Step 3a: downloads with progress, speed and time left; cancel and retry. */
export function DownloadsPanel() {
  const client = useClient();
  const downloads = Object.values(useModels((s) => s.downloads)).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  if (downloads.length === 0) return null;
  return (
    <section className="models-card" aria-label="Downloads">
      <h2>Downloads</h2>
      <ul className="models-downloads">
        {downloads.map((job) => {
          const percent = job.totalBytes ? Math.floor((job.receivedBytes / job.totalBytes) * 100) : undefined;
          const running = job.state === 'queued' || job.state === 'downloading' || job.state === 'verifying';
          return (
            <li key={job.id} data-testid="models-download" data-state={job.state}>
              <div className="models-row">
                <strong>{job.name}</strong>
                <span className={`badge state-${job.state}`}>{job.state}</span>
                {running && (
                  <button className="ghost" onClick={() => void useModels.getState().cancel(client, job.id)}>
                    Cancel
                  </button>
                )}
                {(job.state === 'failed' || job.state === 'cancelled') && (
                  <button className="ghost" onClick={() => void useModels.getState().retry(client, job.id)}>
                    Retry
                  </button>
                )}
              </div>
              <progress max={100} value={percent ?? 0} aria-label={`${job.name} progress`} />
              <div className="muted small">
                {formatBytes(job.receivedBytes)}
                {job.totalBytes ? ` of ${formatBytes(job.totalBytes)} (${percent}%)` : ''}
                {job.state === 'downloading' && job.bytesPerSecond > 0 ? ` · ${formatBytes(Math.round(job.bytesPerSecond))}/s` : ''}
                {job.state === 'downloading' && job.etaSeconds !== null ? ` · ${formatEta(job.etaSeconds)} left` : ''}
                {job.resumedFromBytes > 0 ? ` · resumed at ${formatBytes(job.resumedFromBytes)}` : ''}
              </div>
              {job.failure && job.state === 'failed' && <div className="error">{job.failure.message}</div>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
