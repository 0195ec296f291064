export type { RtpEndpoint, RtpFormat, RtpMedia, RtpStats } from './types';
export { openRtpSession, type RtpSessionOptions, type RtpSessionMedia, type RtpSessionStats } from './session';
