import { useState } from 'react';
import { AnalyticsScreen } from './screens/analytics/AnalyticsScreen';
import { CampaignsScreen } from './screens/CampaignsScreen';
import { ConsoleScreen } from './screens/console/ConsoleScreen';
import { ContactsScreen } from './screens/contacts/ContactsScreen';
import { ModelsScreen } from './screens/models/ModelsScreen';
import { FirstRunCard } from './screens/models/FirstRunCard';
import { SegmentsScreen } from './screens/segments/SegmentsScreen';
import { VoiceEnginesCard } from './screens/voice/VoiceEnginesCard';
import { useConnection } from './store/connection';

const SCREENS = [{ id: 'campaigns', label: 'Campaigns' }, { id: 'analytics', label: 'Analytics' }, { id: 'models', label: 'Models' }] as const;
/** Contacts and segments sit next to Campaigns in the sidebar. */
const NAV = [{ id: 'console', label: 'Live console' }, SCREENS[0], { id: 'contacts', label: 'Contacts' }, { id: 'segments', label: 'Segments' }, ...SCREENS.slice(1)] as const;
type ScreenId = (typeof NAV)[number]['id'];

export function App() {
  const [screen, setScreen] = useState<ScreenId>('campaigns');
  const status = useConnection((s) => s.status);
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Parley</div>
        {NAV.map((s) => (
          <button
            key={s.id}
            className={s.id === screen ? 'nav-item active' : 'nav-item'}
            aria-current={s.id === screen ? 'page' : undefined}
            onClick={() => setScreen(s.id)}
          >
            {s.label}
          </button>
        ))}
        <FirstRunCard onOpen={() => setScreen('models')} />
        <VoiceEnginesCard />
        <div className={`connection ${status}`} data-testid="connection-status" title="Connection to the engine">
          {status === 'open' ? 'Engine connected' : status === 'connecting' ? 'Connecting…' : 'Engine unreachable, retrying…'}
        </div>
      </nav>
      <main className="content">
        {screen === 'console' && <ConsoleScreen />}
        {screen === 'campaigns' && <CampaignsScreen />}
        {screen === 'contacts' && <ContactsScreen />}
        {screen === 'segments' && <SegmentsScreen />}
        {screen === 'analytics' && <AnalyticsScreen />}
        {screen === 'models' && <ModelsScreen />}
      </main>
    </div>
  );
}
