import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Staff } from './api.ts';

/** Whether this browser signed a staff member in (a readable hint cookie set beside the HttpOnly session). */
function maySignedIn(): boolean {
  return document.cookie.split(';').some((c) => c.trim() === 'foad_staff=1');
}

/** The signed-in staff member (from the HttpOnly session cookie), or null for citizens. */
export function useStaff(): { staff: Staff | null; loading: boolean; refresh(): void } {
  const client = useQueryClient();
  const { data, isLoading } = useQuery({
    queryKey: ['me'],
    // A citizen's browser never signed in: no request, so no 401 in its console.
    queryFn: () => (maySignedIn() ? api<Staff>('/auth/me').catch(() => null) : Promise.resolve(null)),
    staleTime: 60_000,
  });
  return { staff: data ?? null, loading: isLoading, refresh: () => client.invalidateQueries({ queryKey: ['me'] }) };
}

/** A citizen's tracking token for one complaint lives only in this tab (30 minutes on the server). */
export const citizenToken = {
  get: (code: string): string | null => sessionStorage.getItem(`foad.track.${code}`),
  set: (code: string, token: string): void => sessionStorage.setItem(`foad.track.${code}`, token),
  clear: (code: string): void => sessionStorage.removeItem(`foad.track.${code}`),
};
