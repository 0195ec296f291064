import { Bar, BarChart, CartesianGrid, Cell, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CALL_OUTCOME_TEXT, EMOTION_LABEL_TEXT, type Dashboard } from '../../../../electron/contracts';
import { EMOTION_COLORS } from './EmotionMeter';

const ACCENT = '#2f5bea';
const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);

function Card({ title, testId, children, wide }: { title: string; testId: string; children: React.ReactNode; wide?: boolean }) {
  return (
    <section className={wide ? 'card wide' : 'card'} data-testid={testId} aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function FunnelCard({ funnel }: { funnel: Dashboard['funnel'] }) {
  const steps = [
    ['Dialed', funnel.dialed],
    ['Answered', funnel.answered],
    ['Conversation', funnel.conversation],
    ['Qualified', funnel.qualified],
    ['Converted', funnel.converted],
  ] as const;
  return (
    <Card title="Funnel" testId="funnel" wide>
      <div className="funnel">
        {steps.map(([label, value], i) => (
          <div key={label} className="funnel-step" data-testid={`funnel-${label.toLowerCase()}`}>
            <div className="funnel-bar" style={{ width: `${funnel.dialed ? Math.max(2, (value / funnel.dialed) * 100) : 0}%` }} />
            <span className="funnel-label">{label}</span>
            <span className="funnel-value">{value.toLocaleString()}</span>
            <span className="muted small">{i === 0 ? '' : funnel.dialed ? pct(value / funnel.dialed) : '–'}</span>
          </div>
        ))}
      </div>
    </Card>
  );
}

export function OutcomesCard({ outcomes }: { outcomes: Dashboard['outcomes'] }) {
  const data = outcomes.map((o) => ({ name: CALL_OUTCOME_TEXT[o.outcome], calls: o.calls }));
  return (
    <Card title="Outcomes" testId="outcomes">
      {data.length === 0 ? <p className="muted small">No analysed calls in this range.</p> : (
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={data} layout="vertical" margin={{ left: 30, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="name" width={120} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Bar dataKey="calls" fill={ACCENT} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </Card>
  );
}

export function BestHoursCard({ hours }: { hours: Dashboard['bestHours'] }) {
  const data = hours.map((h) => ({ hour: `${String(h.hour).padStart(2, '0')}:00`, dialed: h.dialed, answerRate: h.answerRate === null ? null : Math.round(h.answerRate * 1000) / 10 }));
  const best = [...hours].filter((h) => h.dialed >= 20 && h.answerRate !== null).sort((a, b) => b.answerRate! - a.answerRate!)[0];
  return (
    <Card title="Best hours to call" testId="best-hours" wide>
      {best && <p className="muted small">Best answer rate at {String(best.hour).padStart(2, '0')}:00 ({pct(best.answerRate)}), in this console's time zone.</p>}
      <ResponsiveContainer width="100%" height={220}>
        <ComposedChart data={data} margin={{ right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="hour" tick={{ fontSize: 12 }} />
          <YAxis yAxisId="calls" allowDecimals={false} />
          <YAxis yAxisId="rate" orientation="right" unit="%" domain={[0, 100]} />
          <Tooltip />
          <Bar yAxisId="calls" dataKey="dialed" name="Dialed" fill="#c7d3fb" isAnimationActive={false} />
          <Line yAxisId="rate" dataKey="answerRate" name="Answer rate %" stroke={ACCENT} strokeWidth={2} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </Card>
  );
}

export function AttemptsCard({ attempts }: { attempts: Dashboard['attemptsPerContact'] }) {
  const data = attempts.histogram.map((h) => ({ attempts: h.attempts === 5 ? '5+' : String(h.attempts), contacts: h.contacts }));
  return (
    <Card title="Attempts per contact" testId="attempts">
      <p className="muted small">
        {attempts.contacts.toLocaleString()} contacts, {attempts.average ?? '–'} attempts on average
      </p>
      <ResponsiveContainer width="100%" height={180}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="attempts" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="contacts" fill="#6f8ff0" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </Card>
  );
}

export function EmotionsCard({ emotions }: { emotions: Dashboard['emotions'] }) {
  const total = emotions.reduce((s, e) => s + e.turns, 0);
  const data = emotions.map((e) => ({ label: e.label, name: EMOTION_LABEL_TEXT[e.label], turns: e.turns }));
  return (
    <Card title="Caller emotion (turns)" testId="emotions">
      {total === 0 ? <p className="muted small">No caller turns were read in this range.</p> : (
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={data} layout="vertical" margin={{ left: 30, right: 16 }}>
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="name" width={120} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Bar dataKey="turns" isAnimationActive={false}>
              {data.map((d) => (
                <Cell key={d.label} fill={EMOTION_COLORS[d.label]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </Card>
  );
}

export function VariantsCard({ variants }: { variants: Dashboard['variants'] }) {
  return (
    <Card title="A/B variants" testId="variants">
      <table className="data-table">
        <thead>
          <tr><th>Variant</th><th>Dialed</th><th>Answered</th><th>Converted</th><th>Conversion</th></tr>
        </thead>
        <tbody>
          {variants.rows.map((v) => (
            <tr key={v.variant}>
              <td>{v.variant}</td><td>{v.dialed.toLocaleString()}</td><td>{v.answered.toLocaleString()}</td><td>{v.converted.toLocaleString()}</td><td>{pct(v.conversionRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={variants.comparison?.significant ? 'ok small' : 'muted small'} data-testid="significance-note">
        {variants.comparison ? variants.comparison.note : 'Needs two prompt variants with answered calls to compare.'}
      </p>
    </Card>
  );
}

export function LatencyCard({ latency }: { latency: Dashboard['latency'] }) {
  const ms = (v: number | null) => (v === null ? '–' : `${v.toLocaleString()} ms`);
  return (
    <Card title="Latency per stage" testId="latency">
      <table className="data-table">
        <thead>
          <tr><th>Stage</th><th>p50</th><th>p95</th><th>Turns</th></tr>
        </thead>
        <tbody>
          {latency.map((l) => (
            <tr key={l.stage} className={l.stage === 'total' ? 'total-row' : undefined}>
              <td>{l.stage === 'total' ? 'voice to voice' : l.stage}</td><td>{ms(l.p50Ms)}</td><td>{ms(l.p95Ms)}</td><td>{l.samples.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
