import { useEffect, useState } from 'react';
import { roleAtLeast, type Role } from '../../electron/contracts';
import { useClient } from './ClientContext';
import { AuditScreen } from './screens/access/AuditScreen';
import { ChangePassword } from './screens/access/ChangePassword';
import { LoginScreen } from './screens/access/LoginScreen';
import { UsersScreen } from './screens/access/UsersScreen';
import { AnalyticsScreen } from './screens/analytics/AnalyticsScreen';
import { CampaignsScreen } from './screens/CampaignsScreen';
import { ConsoleScreen } from './screens/console/ConsoleScreen';
import { CallbacksScreen } from './screens/callbacks/CallbacksScreen';
import { CallbackReminders } from './screens/callbacks/CallbackReminders';
import { ContactsScreen } from './screens/contacts/ContactsScreen';
import { ModelsScreen } from './screens/models/ModelsScreen';
import { FirstRunCard } from './screens/models/FirstRunCard';
import { SegmentsScreen } from './screens/segments/SegmentsScreen';
import { LinesScreen } from './screens/lines/LinesScreen';
import { SyncScreen } from './screens/sync/SyncScreen';
import { ProvidersScreen } from './screens/providers/ProvidersScreen';
import { CallsScreen } from './screens/review/CallsScreen';
import { VoiceEnginesCard } from './screens/voice/VoiceEnginesCard';
import { useConnection } from './store/connection';
import { useNavigation } from './store/navigation';
import { useSession } from './store/session';
import type { Auth } from './transport';

/** The sidebar, in order, with the least role that sees each screen (the engine enforces the same per command). */
const NAV = [
  { id: 'console', label: 'Live console', role: 'supervisor' },
  { id: 'callbacks', label: 'Callbacks', role: 'supervisor' },
  { id: 'campaigns', label: 'Campaigns', role: 'viewer' },
  { id: 'calls', label: 'Calls', role: 'viewer' },
  { id: 'contacts', label: 'Contacts', role: 'viewer' },
  { id: 'segments', label: 'Segments', role: 'viewer' },
  { id: 'lines', label: 'Lines', role: 'admin' },
  { id: 'analytics', label: 'Analytics', role: 'viewer' },
  { id: 'sync', label: 'Sync', role: 'manager' },
  { id: 'models', label: 'Models', role: 'admin' },
  { id: 'providers', label: 'Providers', role: 'admin' },
  { id: 'users', label: 'Users', role: 'admin' },
  { id: 'audit', label: 'Audit', role: 'admin' },
] as const satisfies ReadonlyArray<{ id: string; label: string; role: Role }>;
type ScreenId = (typeof NAV)[number]['id'];

/** In a browser the console needs a signed-in user; in the desktop app the window is the local admin. */
export function App({ auth }: { auth: Auth | null }) {
  const session = useSession();
  if (auth && (session.state !== 'signed-in' || !session.user)) return <LoginScreen auth={auth} />;
  if (!session.user) return <div className="login">Starting…</div>;
  return <Shell role={session.user.role} username={session.user.username} userId={session.user.id} auth={auth} />;
}

function Shell({ role, username, userId, auth }: { role: Role; username: string; userId: string; auth: Auth | null }) {
  const allowed = NAV.filter((s) => roleAtLeast(role, s.role));
  const [screen, setScreen] = useState<ScreenId>(allowed[0]!.id);
  const target = useNavigation((s) => s.target);
  useEffect(() => {
    if (target && allowed.some((s) => s.id === target.screen)) setScreen(target.screen as ScreenId);
  }, [target]);
  const status = useConnection((s) => s.status);
  const isAdmin = role === 'admin';
  const client = useClient();
  const [fingerprint, setFingerprint] = useState<string | null>(null);
  useEffect(() => {
    client.call('app.info', {}).then((info) => setFingerprint(info.tlsFingerprint), () => undefined);
  }, [client]);
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Parley</div>
        {allowed.map((s) => (
          <button
            key={s.id}
            className={s.id === screen ? 'nav-item active' : 'nav-item'}
            aria-current={s.id === screen ? 'page' : undefined}
            onClick={() => {
              setScreen(s.id);
              // A record opened earlier (a call page) closes when its screen is chosen again.
              if (target?.screen === s.id) useNavigation.getState().go({ screen: s.id });
            }}
          >
            {s.label}
          </button>
        ))}
        {isAdmin && <FirstRunCard onOpen={() => setScreen('models')} />}
        {isAdmin && <VoiceEnginesCard />}
        <div className={`connection ${status}`} data-testid="connection-status" title="Connection to the engine">
          {status === 'open' ? 'Engine connected' : status === 'connecting' ? 'Connecting…' : 'Engine unreachable, retrying…'}
        </div>
        {fingerprint && (
          <div className="account" title={`Compare with the fingerprint parley serve printed: ${fingerprint}`} data-testid="tls-fingerprint">
            TLS SHA-256 {fingerprint.slice(0, 23)}…
          </div>
        )}
        <div className="account" data-testid="account">
          <span>
            Signed in as <strong data-testid="account-name">{username}</strong> ({role})
          </span>
          {auth && <ChangePassword />}
          {auth && (
            <button data-testid="sign-out" onClick={() => void auth.signOut().then(() => location.reload())}>
              Sign out
            </button>
          )}
        </div>
      </nav>
      <main className="content">
        {userId && roleAtLeast(role, 'supervisor') && <CallbackReminders userId={userId} onOpen={() => setScreen('callbacks')} />}
        {screen === 'console' && <ConsoleScreen />}
        {screen === 'callbacks' && <CallbacksScreen />}
        {screen === 'campaigns' && <CampaignsScreen />}
        {screen === 'calls' && <CallsScreen />}
        {screen === 'contacts' && <ContactsScreen />}
        {screen === 'segments' && <SegmentsScreen />}
        {screen === 'lines' && <LinesScreen />}
        {screen === 'sync' && <SyncScreen role={role} />}
        {screen === 'providers' && <ProvidersScreen />}
        {screen === 'analytics' && <AnalyticsScreen />}
        {screen === 'models' && <ModelsScreen />}
        {screen === 'users' && <UsersScreen />}
        {screen === 'audit' && <AuditScreen />}
      </main>
    </div>
  );
}
