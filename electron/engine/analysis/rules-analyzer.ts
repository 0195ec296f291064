import type { CallOutcome, EmotionLabel, LeadScore, NextAction, CampaignAnswer } from '../../contracts';
import { analyzeTextLexicon } from '../emotion/text-lexicon';
import type { CallRecord, TranscriptLine } from './call-record';
import { BUDGET_PATTERNS, DECISION_PATTERNS, firstMatch, MONEY, OUTCOME_PATTERNS, TIMELINE_PATTERNS } from './rule-patterns';

/** The analysis proper, before ids, method and time are attached. */
export interface AnalysisDraft {
  summary: string;
  outcome: CallOutcome;
  answers: CampaignAnswer[];
  leadScore: LeadScore;
  csat: number;
  nextAction: NextAction;
  dominantEmotion: EmotionLabel | null;
}

const INTEREST_WEIGHT = { high: 1, medium: 0.6, low: 0.25, none: 0 } as const;
const BUDGET_WEIGHT = { confirmed: 1, unknown: 0.4, limited: 0.3, none: 0 } as const;
const TIMELINE_WEIGHT = { now: 1, weeks: 0.8, months: 0.5, unknown: 0.3, later: 0.2 } as const;
const DECISION_WEIGHT = { yes: 1, shared: 0.6, unknown: 0.3, no: 0.1 } as const;
const NO_CONTACT: CallOutcome[] = ['voicemail', 'no_answer', 'wrong_number', 'dnc_request'];

/**
 * Post-call analysis without a language model: the scripted flow's questions matched to the
 * caller's replies, outcome and lead-score parts from phrase patterns, satisfaction from the
 * emotion track (or the lexicon model when the call has no stored readings).
 */
export function analyzeByRules(record: CallRecord): AnalysisDraft {
  const callerLines = record.transcript.filter((t) => t.speaker === 'caller');
  const callerTexts = callerLines.map((t) => t.text);
  const dominantEmotion = dominantOf(record);
  const outcome = decideOutcome(record, callerTexts, dominantEmotion);
  const answers = answerQuestions(record.questions, record.transcript);
  const leadScore = scoreLead(outcome, callerTexts, dominantEmotion);
  const csat = estimateCsat(record, callerTexts, outcome);
  return {
    summary: summarize(record, outcome, answers, leadScore, dominantEmotion, callerLines),
    outcome,
    answers,
    leadScore,
    csat,
    nextAction: nextActionFor(outcome, dominantEmotion, record, callerTexts),
    dominantEmotion,
  };
}

function decideOutcome(record: CallRecord, callerTexts: string[], emotion: EmotionLabel | null): CallOutcome {
  if (record.dialOutcome === 'voicemail') return 'voicemail';
  if (callerTexts.length === 0) return record.dialOutcome === 'completed' ? 'other' : 'no_answer';
  const matched = firstMatch(OUTCOME_PATTERNS, callerTexts);
  if (matched) return matched.value;
  if (emotion === 'happy') return 'interested';
  return 'other';
}

/**
 * The lead score of a call still in progress, from what the caller said so far (phrase rules only:
 * cheap enough to run after every caller turn). 0..1, like `LeadScore.qualification`.
 */
export function runningQualification(callerTexts: string[]): number {
  if (callerTexts.length === 0) return 0;
  const outcome = firstMatch(OUTCOME_PATTERNS, callerTexts)?.value ?? 'other';
  return scoreLead(outcome, callerTexts, null).qualification;
}

/** Token overlap of a question with an agent line, so "So, which weekday suits you?" still counts. */
function overlap(question: string, line: string): number {
  const words = (s: string) => new Set(s.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []);
  const q = words(question);
  const l = words(line);
  if (q.size === 0) return 0;
  let shared = 0;
  for (const w of q) if (l.has(w)) shared += 1;
  return shared / q.size;
}

export function answerQuestions(questions: string[], transcript: TranscriptLine[]): CampaignAnswer[] {
  return questions.map((question) => {
    let best = -1;
    let bestScore = 0.6; // below this the agent line is not this question
    transcript.forEach((line, i) => {
      if (line.speaker !== 'agent') return;
      const score = overlap(question, line.text);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    });
    if (best < 0) return { question, answer: null };
    const reply: string[] = [];
    for (let i = best + 1; i < transcript.length && transcript[i]!.speaker === 'caller'; i++) reply.push(transcript[i]!.text);
    const answer = reply.join(' ').trim();
    return { question, answer: answer ? answer.slice(0, 500) : null };
  });
}

function scoreLead(outcome: CallOutcome, callerTexts: string[], emotion: EmotionLabel | null): LeadScore {
  const budget = firstMatch(BUDGET_PATTERNS, callerTexts);
  const timeline = firstMatch(TIMELINE_PATTERNS, callerTexts);
  const decision = firstMatch(DECISION_PATTERNS, callerTexts);
  const interest: LeadScore['interest'] =
    outcome === 'converted'
      ? 'high'
      : outcome === 'interested'
        ? emotion === 'happy'
          ? 'high'
          : 'medium'
        : outcome === 'callback'
          ? 'medium'
          : outcome === 'other'
            ? 'low'
            : 'none';
  const lead: LeadScore = {
    qualification: 0,
    interest,
    budget: { status: budget?.value ?? 'unknown', detail: budget ? (moneyIn(callerTexts) ?? budget.snippet) : null },
    timeline: { horizon: timeline?.value ?? 'unknown', detail: timeline?.snippet ?? null },
    decisionMaker: decision?.value ?? 'unknown',
  };
  lead.qualification = NO_CONTACT.includes(outcome) || outcome === 'not_interested' ? 0 : qualificationOf(lead);
  return lead;
}

function moneyIn(texts: string[]): string | null {
  for (const text of texts) {
    const match = MONEY.exec(text);
    if (match) return match[0].trim();
  }
  return null;
}

/** Weighted parts: interest counts most; budget, timeline and authority share the rest. */
export function qualificationOf(lead: Omit<LeadScore, 'qualification'>): number {
  const score =
    0.4 * INTEREST_WEIGHT[lead.interest] +
    0.2 * BUDGET_WEIGHT[lead.budget.status] +
    0.2 * TIMELINE_WEIGHT[lead.timeline.horizon] +
    0.2 * DECISION_WEIGHT[lead.decisionMaker];
  return Math.round(score * 100) / 100;
}

/** 1..5 from the caller's mean valence (stored track, else the lexicon), nudged by how it ended. */
function estimateCsat(record: CallRecord, callerTexts: string[], outcome: CallOutcome): number {
  const valences = record.emotions.length
    ? record.emotions.map((e) => e.smoothed.valence)
    : callerTexts.map((t) => analyzeTextLexicon(t).valence);
  if (valences.length === 0) return 3;
  const mean = valences.reduce((a, b) => a + b, 0) / valences.length;
  const last = valences[valences.length - 1]!;
  let csat = 3 + 1.4 * mean + 0.6 * last;
  if (outcome === 'converted') csat += 0.3;
  if (outcome === 'dnc_request') csat -= 0.5;
  if (record.emotions.some((e) => e.smoothed.frustration >= 0.5)) csat -= 0.3;
  return Math.round(Math.min(5, Math.max(1, csat)) * 10) / 10;
}

function nextActionFor(outcome: CallOutcome, emotion: EmotionLabel | null, record: CallRecord, callerTexts: string[]): NextAction {
  if (emotion === 'frustrated' && !['dnc_request', 'wrong_number', 'voicemail', 'no_answer'].includes(outcome)) {
    return { kind: 'hand_to_human', detail: 'The caller was frustrated: a colleague should follow up personally.' };
  }
  switch (outcome) {
    case 'converted':
      return { kind: 'book_meeting', detail: 'Confirm what was agreed and send the confirmation.' };
    case 'interested':
      return { kind: 'send_info', detail: 'Send the information discussed and follow up in a few days.' };
    case 'callback': {
      const when = firstMatch(TIMELINE_PATTERNS, callerTexts)?.snippet;
      return { kind: 'call_back', detail: when ? `Call back as asked (${when}).` : 'Call back at a better time, as asked.' };
    }
    case 'dnc_request':
      return { kind: 'remove_from_list', detail: 'Add the number to the do-not-call list; never call again.' };
    case 'wrong_number':
      return { kind: 'remove_from_list', detail: `Fix or remove the phone number of ${record.contactName ?? 'this contact'}.` };
    case 'voicemail':
    case 'no_answer':
      return { kind: 'retry_later', detail: 'Try again at another time of day.' };
    case 'not_interested':
      return { kind: 'none', detail: 'Close the lead for this campaign.' };
    default:
      return { kind: 'retry_later', detail: 'Review the transcript; the call reached no clear result.' };
  }
}

function dominantOf(record: CallRecord): EmotionLabel | null {
  if (record.emotions.length === 0) return null;
  const counts = new Map<EmotionLabel, number>();
  for (const e of record.emotions) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  let best = record.emotions[record.emotions.length - 1]!.label;
  for (const [label, n] of counts) if (n > counts.get(best)!) best = label;
  return best;
}

const OUTCOME_PHRASE: Record<CallOutcome, string> = {
  converted: 'agreed to go ahead',
  interested: 'was interested',
  callback: 'asked to be called back',
  not_interested: 'was not interested',
  wrong_number: 'said this is a wrong number',
  voicemail: 'did not answer; the call reached voicemail',
  dnc_request: 'asked not to be called again',
  no_answer: 'did not answer',
  other: 'gave no clear answer',
};

function summarize(
  record: CallRecord,
  outcome: CallOutcome,
  answers: CampaignAnswer[],
  lead: LeadScore,
  emotion: EmotionLabel | null,
  callerLines: TranscriptLine[],
): string {
  const who = record.contactName ?? 'The contact';
  const parts = [`${who} ${OUTCOME_PHRASE[outcome]}.`];
  // The longest caller turn usually carries the most content.
  const longest = [...callerLines].sort((a, b) => b.text.length - a.text.length)[0];
  if (longest && longest.text.split(/\s+/).length >= 4) parts.push(`They said: "${longest.text.slice(0, 200)}"`);
  const answered = answers.filter((a) => a.answer);
  if (answered.length) parts.push(`Answered ${answered.length} of ${answers.length} questions.`);
  if (!NO_CONTACT.includes(outcome)) parts.push(`Lead qualification ${Math.round(lead.qualification * 100)}%.`);
  if (emotion) parts.push(`Mood: mostly ${emotion}.`);
  return parts.join(' ').slice(0, 1000);
}
