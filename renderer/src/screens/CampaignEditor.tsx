import { useEffect, useState, type FormEvent } from 'react';
import { CampaignSettings, DEFAULT_CAMPAIGN_SETTINGS, MAX_PROMPT_CHARS, ParleyError, type Campaign } from '../../../electron/contracts';
import { useClient } from '../ClientContext';
import { useCampaigns } from '../store/campaigns';
import { useSegments } from '../store/segments';
import { DisclosureEmotionFields, disclosureEmotionOf } from './analytics/DisclosureEmotionFields';
import { RecordingFields } from './recording/RecordingFields';
import { CampaignControls } from './campaign-detail/CampaignControls';
import { CampaignSettingsFields } from './campaign-detail/CampaignSettingsFields';
import { HoursOverride } from './campaign-detail/HoursOverride';
import { useSession } from '../store/session';
import { CampaignLineFields } from './lines/CampaignLineFields';

interface Props {
  campaign?: Campaign;
  initialMessage?: string;
  onSaved(campaign: Campaign): void;
  onDeleted(): void;
}

type FieldErrors = Record<string, string>;

/** The campaign's dialing settings, or the defaults (in this machine's zone) for a new one. */
function settingsOf(campaign: Campaign | undefined): CampaignSettings {
  if (!campaign) return { ...DEFAULT_CAMPAIGN_SETTINGS, defaultTimezone: Intl.DateTimeFormat().resolvedOptions().timeZone || DEFAULT_CAMPAIGN_SETTINGS.defaultTimezone };
  return Object.fromEntries(Object.keys(DEFAULT_CAMPAIGN_SETTINGS).map((key) => [key, campaign[key as keyof CampaignSettings]])) as CampaignSettings;
}

export function CampaignEditor({ campaign, initialMessage, onSaved, onDeleted }: Props) {
  const client = useClient();
  const { create, update, remove } = useCampaigns.getState();
  const [name, setName] = useState(campaign?.name ?? '');
  const [agentPrompt, setAgentPrompt] = useState(campaign?.agentPrompt ?? '');
  const [questions, setQuestions] = useState<string[]>(campaign?.questions ?? ['']);
  const [settings, setSettings] = useState<CampaignSettings>(() => settingsOf(campaign));
  const [disclosureEmotion, setDisclosureEmotion] = useState(() => disclosureEmotionOf(campaign));
  const segments = useSegments((s) => s.list);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | undefined>(initialMessage);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  /** The last save was refused for a window outside the legal calling hours. */
  const [hoursRefused, setHoursRefused] = useState(false);
  const isAdmin = useSession((s) => s.user?.role === 'admin');

  useEffect(() => {
    void useSegments.getState().load(client);
  }, [client]);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const input = { name, agentPrompt, questions: questions.map((q) => q.trim()).filter(Boolean), ...settings, ...disclosureEmotion };
    const checked = CampaignSettings.safeParse(settings);
    if (!input.name.trim() || !checked.success) {
      const found: FieldErrors = input.name.trim() ? {} : { name: 'Name is required' };
      for (const issue of checked.error?.issues ?? []) found[String(issue.path[0])] ??= issue.message;
      setErrors(found);
      setMessage(checked.success ? undefined : 'Some settings need fixing (see the messages below)');
      return;
    }
    setBusy(true);
    setErrors({});
    setMessage(undefined);
    setHoursRefused(false);
    try {
      const saved = campaign ? await update(client, campaign.id, input) : await create(client, input);
      setMessage('Saved');
      onSaved(saved);
    } catch (error) {
      if (error instanceof ParleyError && error.issues) {
        setErrors(Object.fromEntries(error.issues.map((i) => [i.path.replace(/^patch\./, '').split('.')[0] ?? '', i.message])));
      }
      setMessage((error as Error).message);
      setHoursRefused((error as Error).message.includes('outside the legal calling hours'));
    } finally {
      setBusy(false);
    }
  };

  const doDelete = async () => {
    if (!campaign) return;
    setBusy(true);
    try {
      await remove(client, campaign.id);
      onDeleted();
    } catch (error) {
      setMessage((error as Error).message);
      setBusy(false);
    }
  };

  return (
    <form className="editor" onSubmit={submit} data-testid="campaign-editor" noValidate>
      <h2>{campaign ? 'Edit campaign' : 'New campaign'}</h2>
      {campaign && <CampaignControls campaign={campaign} />}
      <label>
        Name
        <input data-testid="campaign-name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} autoFocus />
        {errors.name && <span className="field-error">{errors.name}</span>}
      </label>
      <label>
        Agent prompt
        <textarea
          data-testid="campaign-prompt"
          value={agentPrompt}
          rows={8}
          onChange={(e) => setAgentPrompt(e.target.value)}
          placeholder="Who the AI agent is, why it calls, and how it should speak."
        />
        <span className={agentPrompt.length > MAX_PROMPT_CHARS ? 'field-error' : 'muted small'}>
          {agentPrompt.length.toLocaleString()} / {MAX_PROMPT_CHARS.toLocaleString()} characters
        </span>
        {errors.agentPrompt && <span className="field-error">{errors.agentPrompt}</span>}
      </label>
      <fieldset>
        <legend>Questions, in order</legend>
        {questions.map((q, i) => (
          <div className="question-row" key={i}>
            <span className="muted">{i + 1}.</span>
            <input
              data-testid="campaign-question"
              value={q}
              onChange={(e) => setQuestions(questions.map((old, j) => (j === i ? e.target.value : old)))}
            />
            <button type="button" className="ghost" aria-label={`Remove question ${i + 1}`} onClick={() => setQuestions(questions.filter((_, j) => j !== i))}>
              ✕
            </button>
          </div>
        ))}
        <button type="button" className="ghost" data-testid="add-question" onClick={() => setQuestions([...questions, ''])}>
          + Add question
        </button>
        {errors.questions && <span className="field-error">{errors.questions}</span>}
      </fieldset>
      <CampaignLineFields value={settings} onChange={setSettings} errors={errors} />
      <CampaignSettingsFields value={settings} onChange={setSettings} errors={errors} segments={segments} campaignName={name} disclosure={disclosureEmotion.disclosure} />
      {campaign && hoursRefused && isAdmin && <HoursOverride campaignId={campaign.id} callingWindow={settings.callingWindow} onOverridden={() => void submit()} />}
      <DisclosureEmotionFields value={disclosureEmotion} onChange={setDisclosureEmotion} />
      <RecordingFields value={settings} onChange={setSettings} disclosure={disclosureEmotion.disclosure} />
      <div className="actions">
        <button className="primary" type="submit" disabled={busy} data-testid="save-campaign">
          {campaign ? 'Save changes' : 'Create campaign'}
        </button>
        {campaign && !confirmDelete && (
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)} data-testid="delete-campaign">
            Delete
          </button>
        )}
        {campaign && confirmDelete && (
          <>
            <button type="button" className="danger" onClick={doDelete} disabled={busy} data-testid="confirm-delete">
              Confirm delete
            </button>
            <button type="button" className="ghost" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </>
        )}
        {message && (
          <span role="status" className={message === 'Saved' ? 'ok' : 'field-error'} data-testid="editor-message">
            {message}
          </span>
        )}
      </div>
    </form>
  );
}
