import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ClientContext } from './ClientContext';
import { subscribeLiveEmotion } from './screens/analytics/live-emotion-store';
import { subscribeConsole } from './screens/console/console-events';
import { useConnection } from './store/connection';
import { useCampaigns } from './store/campaigns';
import { subscribeDialing } from './store/dialing-events';
import { connect } from './transport';
import './styles.css';

const { client, host } = connect((status) => {
  useConnection.getState().setStatus(status);
  if (status === 'open') void useCampaigns.getState().load(client);
});
useConnection.getState().setHost(host);
client.on('campaign.changed', ({ campaign }) => useCampaigns.getState().upsert(campaign));
client.on('campaign.deleted', ({ id }) => useCampaigns.getState().drop(id));
subscribeDialing(client);
subscribeLiveEmotion(client);
subscribeConsole(client);
if (host === 'electron') void useCampaigns.getState().load(client);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <App />
    </ClientContext.Provider>
  </StrictMode>,
);
