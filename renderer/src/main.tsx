import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SIGNIN_LINK_PARAM } from '../../electron/contracts';
import { App } from './App';
import { ClientContext } from './ClientContext';
import { subscribeLiveEmotion } from './screens/analytics/live-emotion-store';
import { subscribeConsole } from './screens/console/console-events';
import { useConnection } from './store/connection';
import { useCampaigns } from './store/campaigns';
import { subscribeDialing } from './store/dialing-events';
import { storedToken, useSession } from './store/session';
import { connect } from './transport';
import './styles.css';

// A sign-in link or a token from earlier in this tab is tried before the form shows.
if (location.hash.includes(`${SIGNIN_LINK_PARAM}=`) || storedToken()) useSession.getState().setChecking();
const { client, host, auth } = connect(
  (status) => {
    useConnection.getState().setStatus(status);
    if (status === 'open' && useSession.getState().state === 'signed-in') void useCampaigns.getState().load(client);
  },
  (grant, error) => {
    useSession.getState().setGrant(grant, error?.message);
    if (grant) void useCampaigns.getState().load(client);
  },
  storedToken(),
);
useConnection.getState().setHost(host);
client.on('campaign.changed', ({ campaign }) => useCampaigns.getState().upsert(campaign));
client.on('campaign.deleted', ({ id }) => useCampaigns.getState().drop(id));
subscribeDialing(client);
subscribeLiveEmotion(client);
subscribeConsole(client);
if (host === 'electron') {
  // The app's own window is the local admin.
  void client.call('session.me', {}).then((user) => useSession.getState().setUser(user));
  void useCampaigns.getState().load(client);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <App auth={auth} />
    </ClientContext.Provider>
  </StrictMode>,
);
