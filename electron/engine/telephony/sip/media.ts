import type { Logger } from '../../logging';
import type { PlayoutClock } from '../../voice/playout-clock';
import type { RtpMedia } from '../rtp/types';

/** What a SIP line asks of the RTP side for each call: a session bound in the line's port range. */
export interface RtpSessionRequest {
  /** Address to bind and to put in our SDP. */
  localAddress: string;
  portMin: number;
  portMax: number;
  logger: Logger;
  clock: PlayoutClock;
  /** Names the line in the session's log lines. */
  label: string;
}

export type OpenRtpMedia = (request: RtpSessionRequest) => Promise<RtpMedia>;
