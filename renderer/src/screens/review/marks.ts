/** The marks the engine puts around search matches in snippets (see CallListRow.snippet). */
export const MATCH_START_MARK = '\u0002';
export const MATCH_END_MARK = '\u0003';
