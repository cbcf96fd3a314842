// The alert actions the screens share: acknowledge (with a comment) and resolve, one or many; each is
// recorded by alerting as the signed-in person (the console's front door names them).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { alerting, unwrap } from '../../api/services';

export function useAlertActions() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['alerting'] });
  const acknowledge = useMutation({
    mutationFn: ({ ids, note }: { ids: string[]; note: string }) =>
      Promise.all(ids.map((id) => unwrap(alerting.POST('/v1/alerts/{alertId}/acknowledge', { params: { path: { alertId: id } }, body: note ? { note } : {} })))),
    onSettled: refresh,
  });
  const resolve = useMutation({
    mutationFn: ({ ids, note }: { ids: string[]; note?: string }) =>
      Promise.all(ids.map((id) => unwrap(alerting.POST('/v1/alerts/{alertId}/resolve', { params: { path: { alertId: id } }, body: note ? { note } : {} })))),
    onSettled: refresh,
  });
  return { acknowledge, resolve };
}

/** "user:ana@x" → "ana@x"; "key:abc" → "API key abc"; job names as they are. */
export function actorName(actor: string | null | undefined): string {
  if (!actor) return 'unknown';
  if (actor.startsWith('user:')) return actor.slice(5);
  if (actor.startsWith('key:')) return `API key ${actor.slice(4)}`;
  if (actor.startsWith('escalation:')) return `escalation policy ${actor.slice(11)}`;
  if (actor === 'until-resolved') return 'its alerts resolving';
  return actor;
}
