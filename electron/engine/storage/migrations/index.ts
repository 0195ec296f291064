import type { Migration } from 'kysely/migration';
import { initial } from './001_initial';
import { voice } from './003_voice';
import { dialer } from './002_dialer';
import { analysis } from './004_analysis';
import { models } from './005_models';
import { lines } from './006_lines';
import { access } from './007_access';
import { recordings } from './008_recordings';
import { callbacks } from './009_callbacks';
import { transfers } from './010_transfers';
import { compliance } from './011_compliance';
import { dncHistory } from './012_dnc_history';
import { review } from './013_review';
import { providers } from './014_providers';
import { delivery } from './015_delivery';
import { providerChoice } from './018_provider_choice';
import { budgets } from './019_budgets';
import { voiceTier } from './020_voice_tier';
import { callUsage } from './021_call_usage';
import { apiTokens } from './022_api_tokens';

/**
 * Every schema version, in order. Names sort lexically, so keep the numeric prefix; never edit a
 * migration that has shipped, add a new one.
 */
export const migrations: Record<string, Migration> = {
  '001_initial': initial,
  '003_voice': voice,
  '002_dialer': dialer,
  '004_analysis': analysis,
  '005_models': models,
  '006_lines': lines,
  '007_access': access,
  '008_recordings': recordings,
  '009_callbacks': callbacks,
  '010_transfers': transfers,
  '011_compliance': compliance,
  '012_dnc_history': dncHistory,
  '013_review': review,
  '014_providers': providers,
  '015_delivery': delivery,
  '018_provider_choice': providerChoice,
  '019_budgets': budgets,
  '020_voice_tier': voiceTier,
  '021_call_usage': callUsage,
  '022_api_tokens': apiTokens,
};
