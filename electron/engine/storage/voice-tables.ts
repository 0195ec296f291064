/** Rows added by migration 003_voice: which engines a call ran on and how its audio held up. */
export interface CallVoiceTable {
  call_id: string;
  agent_kind: string; // scripted | llm
  agent_name: string;
  stt: string;
  llm: string | null;
  tts: string;
  vad: string;
  telephony: string;
  answered_by: string | null; // human | machine | unknown
  ended_by: string | null; // agent | caller | carrier | error | timeout
  end_reason: string | null;
  detail: string | null;
  real_time_factor: number | null;
  dropped_frames: number;
  underruns: number;
  interruptions: number;
  voicemail_left: number;
  created_at: number;
  updated_at: number;
}
