import type { ReadyLine } from '../lines/line-carriers';

/** The lines as the dialer needs them (LineCarriers in the engine). */
export interface DialerLines {
  /** The campaign's line (its own, else the first real line); undefined: none can carry calls. */
  lineFor(lineId: string | null): ReadyLine | undefined;
  /** Takes one of the line's calls; undefined when the line is full. */
  hold(lineId: string): (() => void) | undefined;
  /** The sum of every line's limit. */
  capacity(): number;
}
