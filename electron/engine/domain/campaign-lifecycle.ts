import { ParleyError, type CampaignStatus } from '../../contracts';

export type LifecycleAction = 'launch' | 'schedule' | 'start' | 'pause' | 'resume' | 'stop' | 'complete';

/** The campaign state machine: draft -> scheduled -> running <-> paused -> completed / stopped. */
const TRANSITIONS: Record<LifecycleAction, Partial<Record<CampaignStatus, CampaignStatus>>> = {
  launch: { draft: 'running' },
  schedule: { draft: 'scheduled' },
  start: { scheduled: 'running' },
  pause: { running: 'paused' },
  resume: { paused: 'running' },
  stop: { scheduled: 'stopped', running: 'stopped', paused: 'stopped' },
  complete: { running: 'completed' },
};

const VERB: Record<LifecycleAction, string> = {
  launch: 'launch',
  schedule: 'schedule',
  start: 'start',
  pause: 'pause',
  resume: 'resume',
  stop: 'stop',
  complete: 'complete',
};

/** The status after `action`, or a `conflict` error that says why the action is not possible now. */
export function nextStatus(from: CampaignStatus, action: LifecycleAction): CampaignStatus {
  const to = TRANSITIONS[action][from];
  if (!to) {
    throw new ParleyError('conflict', `Cannot ${VERB[action]} a campaign that is ${from}`);
  }
  return to;
}

export function canTransition(from: CampaignStatus, action: LifecycleAction): boolean {
  return TRANSITIONS[action][from] !== undefined;
}

/** Campaigns in these states keep their queue; the others are finished. */
export const LIVE_STATUSES: readonly CampaignStatus[] = ['scheduled', 'running', 'paused'];
