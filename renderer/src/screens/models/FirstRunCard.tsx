import { useClient } from '../../ClientContext';
import { useModels } from './store';
import { useModelsSetup } from './useModelsSetup';
import './models.css';

/**
 * The first-run setup, opened on first start when no model is installed: it sits in the sidebar
 * (so whatever screen is showing keeps working) and leads into the Models screen; "Not now" hides
 * it for good (saved in the engine, so every console agrees).
 */
export function FirstRunCard({ onOpen }: { onOpen: () => void }) {
  const client = useClient();
  useModelsSetup();
  const setup = useModels((s) => s.setup);
  if (!setup || setup.installedCount > 0 || setup.dismissed) return null;
  return (
    <div className="models-first-run" role="region" aria-label="Set up local models" data-testid="models-first-run">
      <strong>Welcome to Parley</strong>
      <p>No local models are installed yet. Parley can look at this machine, recommend a model set and download it, or import it from a folder.</p>
      <button className="primary" data-testid="models-first-run-open" onClick={onOpen}>
        Set up models
      </button>
      <button className="ghost" data-testid="models-first-run-dismiss" onClick={() => void useModels.getState().dismissSetup(client)}>
        Not now
      </button>
    </div>
  );
}
