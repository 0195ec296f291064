import { useState } from 'react';
import { AnalyticsScreen } from './screens/analytics/AnalyticsScreen';
import { CampaignsScreen } from './screens/CampaignsScreen';
import { ConsoleScreen } from './screens/console/ConsoleScreen';
import { ContactsScreen } from './screens/contacts/ContactsScreen';
import { ModelsScreen } from './screens/models/ModelsScreen';
import { FirstRunCard } from './screens/models/FirstRunCard';
import { SegmentsScreen } from './screens/segments/SegmentsScreen';
import { LinesScreen } from './screens/lines/LinesScreen';
import { VoiceEnginesCard } from './screens/voice/VoiceEnginesCard';
import { useConnection } from './store/connection';

/** The sidebar, in order. Desk agents live in the console, so it is the start screen. */
const NAV = [
  { id: 'console', label: 'Live console' },
  { id: 'campaigns', label: 'Campaigns' },
  { id: 'contacts', label: 'Contacts' },
  { id: 'segments', label: 'Segments' },
  { id: 'lines', label: 'Lines' },
  { id: 'analytics', label: 'Analytics' },
  { id: 'models', label: 'Models' },
] as const;
type ScreenId = (typeof NAV)[number]['id'];

export function App() {
  const [screen, setScreen] = useState<ScreenId>('console');
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
        {screen === 'lines' && <LinesScreen />}
        {screen === 'analytics' && <AnalyticsScreen />}
        {screen === 'models' && <ModelsScreen />}
      </main>
    </div>
  );
}
