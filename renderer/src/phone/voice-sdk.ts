/**
 * Twilio's Voice SDK, in a chunk of its own: the console loads it only when a desk agent turns their
 * phone on (it is large, and most consoles never need it).
 */
export { Call, Device } from '@twilio/voice-sdk';
