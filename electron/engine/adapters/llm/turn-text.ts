import { ParleyError } from '../../../contracts';

/**
 * One turn's input as the text a model sees. `guidance` is the agent's instruction for this turn
 * (the next scripted question, a re-prompt after silence); it rides with the caller's words so
 * every model family accepts it, whatever its rules on system messages mid-conversation.
 */
export function turnText(turn: { user?: string; guidance?: string }): string {
  const user = turn.user?.trim() ?? '';
  const guidance = turn.guidance?.trim() ?? '';
  if (!user && !guidance) throw new ParleyError('invalid_payload', 'A turn needs the caller\'s words or guidance for the agent');
  if (!guidance) return user;
  const instruction = `[Agent instruction: ${guidance}]`;
  return user ? `${user}\n\n${instruction}` : instruction;
}
