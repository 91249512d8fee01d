import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import {
  getSyncHealth,
  getSyncRun,
  listSyncRuns,
  startSync,
  updateSyncSettings,
  type SyncSettings,
} from '../../../contracts/api/sync.api.js'
import { callApi } from './client.js'

export const syncKey = ['crm', 'sync'] as const

/** How long Setup keeps asking for the first sync after Save Settings: the run is dispatched, not started, by the save. */
export const FIRST_SYNC_WAIT_MS = 30_000

/**
 * Sync health; polls every second while a run is going so the progress bar moves, and for FIRST_SYNC_WAIT_MS
 * after `expectRunSince` (Save Settings) so the first sync's progress appears as soon as it starts.
 */
export function useSyncHealth(options: { enabled?: boolean; expectRunSince?: number | null } = {}) {
  const since = options.expectRunSince ?? null
  return useQuery({
    queryKey: [...syncKey, 'health'],
    queryFn: () => callApi(getSyncHealth),
    enabled: options.enabled ?? true,
    refetchInterval: (query) =>
      query.state.data?.currentRun || (since !== null && Date.now() - since < FIRST_SYNC_WAIT_MS)
        ? 1000
        : false,
  })
}

export function useSyncRuns(polling: boolean) {
  return useInfiniteQuery({
    queryKey: [...syncKey, 'runs'],
    queryFn: ({ pageParam }) => callApi(listSyncRuns, { query: { before: pageParam, limit: 25 } }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    refetchInterval: polling ? 1000 : false,
  })
}

export function useSyncRun(id: number | null) {
  return useQuery({
    queryKey: [...syncKey, 'run', id],
    queryFn: () => callApi(getSyncRun, { params: { id: id ?? 0 } }),
    enabled: id !== null,
  })
}

export function useStartSync() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => callApi(startSync, { body: { trigger: 'manual' } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: syncKey }),
  })
}

export function useUpdateSyncSettings() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: SyncSettings) => callApi(updateSyncSettings, { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: syncKey }),
  })
}
