import { useSession } from '../../store/session';

/** Who this desk agent is: the signed-in user (the engine takes the same identity from the session). */
export function useIdentity<T>(select: (identity: { id: string; name: string }) => T): T {
  return useSession((s) => select({ id: s.user?.id ?? '', name: s.user?.displayName ?? '' }));
}
