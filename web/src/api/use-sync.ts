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

/** Sync health; polls every second while a run is going so the progress bar moves. */
export function useSyncHealth(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [...syncKey, 'health'],
    queryFn: () => callApi(getSyncHealth),
    enabled: options.enabled ?? true,
    refetchInterval: (query) => (query.state.data?.currentRun ? 1000 : false),
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
