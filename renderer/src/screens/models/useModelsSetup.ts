import { useEffect } from 'react';
import { useClient } from '../../ClientContext';
import { useConnection } from '../../store/connection';
import { useModels } from './store';

/** Keeps the models store following engine events and loads it whenever the engine connection opens. */
export function useModelsSetup(): void {
  const client = useClient();
  const status = useConnection((s) => s.status);

  useEffect(() => {
    const offDownload = client.on('models.download', (job) => useModels.getState().onDownload(job));
    const offChanged = client.on('models.changed', ({ installed }) => useModels.getState().onChanged(installed, client));
    return () => {
      offDownload();
      offChanged();
    };
  }, [client]);

  useEffect(() => {
    if (status === 'open') void useModels.getState().load(client);
  }, [client, status]);
}
