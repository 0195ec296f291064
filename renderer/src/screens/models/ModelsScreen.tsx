import { ROLE_LABELS } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { CatalogPanel } from './CatalogPanel';
import { DownloadsPanel } from './DownloadsPanel';
import { ImportPanel } from './ImportPanel';
import { InstalledPanel } from './InstalledPanel';
import { MachineCard } from './MachineCard';
import { MirrorsPanel } from './MirrorsPanel';
import { useModels } from './store';
import './models.css';

/**
 * The model manager, which is also the first-run setup: machine, recommendation with reasons,
 * downloads or folder import, then the active model per role.
 */
export function ModelsScreen() {
  const client = useClient();
  const setup = useModels((s) => s.setup);
  const error = useModels((s) => s.error);
  const firstRun = setup?.needed && !setup.dismissed;
  return (
    <div className="models-screen">
      <header className="pane-header">
        <h1>Models</h1>
        {firstRun && (
          <button className="ghost" data-testid="models-setup-dismiss" onClick={() => void useModels.getState().dismissSetup(client)}>
            Skip setup for now
          </button>
        )}
      </header>
      {firstRun && (
        <div className="models-welcome" data-testid="models-setup">
          <strong>Set up local models.</strong> Parley runs speech recognition, the agent&apos;s language model, its voice and speech detection on this machine.
          Download the set recommended below, or import the files from a folder. Still needed: {setup.missingRoles.map((r) => ROLE_LABELS[r].toLowerCase()).join(', ')}.
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="models-grid">
        <div className="models-column">
          <MachineCard />
          <CatalogPanel />
        </div>
        <div className="models-column">
          <DownloadsPanel />
          <InstalledPanel />
          <ImportPanel />
          <MirrorsPanel />
        </div>
      </div>
    </div>
  );
}
