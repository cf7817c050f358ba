import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Staff } from './api.ts';

/** The signed-in staff member (from the HttpOnly session cookie), or null for citizens. */
export function useStaff(): { staff: Staff | null; loading: boolean; refresh(): void } {
  const client = useQueryClient();
  const { data, isLoading } = useQuery({
    queryKey: ['me'],
    queryFn: () => api<Staff>('/auth/me').catch(() => null),
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
