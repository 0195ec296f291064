import type { AudioSocketLineSettings, LineKind, SipLineSettings, TwilioLineSettings } from '../../contracts';
import type { CarrierDeps, LineConfig, Telephony } from '../ports/telephony';
import { AudioSocketTelephony } from './audiosocket/telephony';
import { SimulatedLine } from './simulated/simulated-line';
import { SipTelephony } from './sip/sip-telephony';
import { TwilioTelephony } from './twilio/telephony';

/** What a line factory gets besides the line itself: the engine's carrier deps and its simulated carrier. */
export interface LineFactoryDeps extends CarrierDeps {
  /** The engine's one simulated carrier (VoiceConfig.telephony or the runtime's own). */
  simulated: Telephony;
}

export interface LineFactories {
  simulated: (config: LineConfig<Record<string, never>>, deps: LineFactoryDeps) => Telephony;
  sip: (config: LineConfig<SipLineSettings>, deps: LineFactoryDeps) => Telephony;
  audiosocket: (config: LineConfig<AudioSocketLineSettings>, deps: LineFactoryDeps) => Telephony;
  twilio: (config: LineConfig<TwilioLineSettings>, deps: LineFactoryDeps) => Telephony;
}

/** The one registry of carriers per line kind. Each entry builds a fresh carrier for one line. */
export const LINE_FACTORIES: LineFactories = {
  simulated: (_config, deps) => new SimulatedLine(deps.simulated),
  sip: (config, deps) => new SipTelephony(config, deps),
  audiosocket: (config, deps) => new AudioSocketTelephony(config, deps),
  twilio: (config, deps) => new TwilioTelephony(config, deps),
};

export function lineFactory(factories: LineFactories, kind: LineKind): LineFactories[LineKind] {
  return factories[kind];
}
