import * as alawmulawModule from 'alawmulaw';

/**
 * G.711 companding (ITU-T G.711): mu-law on North American and Japanese lines and in Twilio Media
 * Streams, A-law elsewhere. The package is CommonJS: Node's ESM loader exposes it as `default`,
 * bundlers as named exports.
 */
const codecs = (alawmulawModule as unknown as { default?: typeof alawmulawModule }).default ?? alawmulawModule;

export type G711Law = 'mulaw' | 'alaw';

export function encodeG711(law: G711Law, samples: Int16Array): Uint8Array {
  return law === 'mulaw' ? codecs.mulaw.encode(samples) : codecs.alaw.encode(samples);
}

export function decodeG711(law: G711Law, bytes: Uint8Array): Int16Array {
  return law === 'mulaw' ? codecs.mulaw.decode(bytes) : codecs.alaw.decode(bytes);
}

export const encodeMuLaw = (samples: Int16Array): Uint8Array => encodeG711('mulaw', samples);
export const decodeMuLaw = (bytes: Uint8Array): Int16Array => decodeG711('mulaw', bytes);
export const encodeALaw = (samples: Int16Array): Uint8Array => encodeG711('alaw', samples);
export const decodeALaw = (bytes: Uint8Array): Int16Array => decodeG711('alaw', bytes);
