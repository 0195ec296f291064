import { useState } from 'react';
import { AnalyticsScreen } from './screens/analytics/AnalyticsScreen';
import { CampaignsScreen } from './screens/CampaignsScreen';
import { ModelsScreen } from './screens/models/ModelsScreen';
import { FirstRunCard } from './screens/models/FirstRunCard';
import { useConnection } from './store/connection';

const SCREENS = [{ id: 'campaigns', label: 'Campaigns' }, { id: 'analytics', label: 'Analytics' }, { id: 'models', label: 'Models' }] as const;
type ScreenId = (typeof SCREENS)[number]['id'];

export function App() {
  const [screen, setScreen] = useState<ScreenId>('campaigns');
  const status = useConnection((s) => s.status);
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Parley</div>
        {SCREENS.map((s) => (
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
        <div className={`connection ${status}`} data-testid="connection-status" title="Connection to the engine">
          {status === 'open' ? 'Engine connected' : status === 'connecting' ? 'Connecting…' : 'Engine unreachable, retrying…'}
        </div>
      </nav>
      <main className="content">
        {screen === 'campaigns' && <CampaignsScreen />}
        {screen === 'analytics' && <AnalyticsScreen />}
        {screen === 'models' && <ModelsScreen />}
      </main>
    </div>
  );
}
