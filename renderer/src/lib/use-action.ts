import { useCallback, useState } from 'react';

/**
 * Runs a console action (a command, then usually a reload) and keeps its error in words for the
 * screen to show; a success clears it.
 */
export function useAction(after?: () => Promise<unknown>): { problem: string | undefined; act: (run: () => Promise<unknown>) => Promise<void>; setProblem: (problem: string | undefined) => void } {
  const [problem, setProblem] = useState<string>();
  const act = useCallback(
    async (run: () => Promise<unknown>) => {
      try {
        await run();
        setProblem(undefined);
        await after?.();
      } catch (error) {
        setProblem((error as Error).message);
      }
    },
    [after],
  );
  return { problem, act, setProblem };
}
