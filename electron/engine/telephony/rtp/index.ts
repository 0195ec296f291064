export type { RtpEndpoint, RtpFormat, RtpMedia, RtpStats } from './types';
export { openRtpSession, type RtpSessionOptions, type RtpSessionStats } from './session';
