import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import { getRealtimeStatus, setRealtimeEnabled } from '../../../contracts/api/realtime.api.js'
import { callApi } from './client.js'

export const realtimeKey = ['crm', 'realtime'] as const

/** The stream's state; refreshed every 5 s while shown, as it changes without anyone clicking. */
export function useRealtimeStatus(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: realtimeKey,
    queryFn: () => callApi(getRealtimeStatus),
    enabled: options.enabled ?? true,
    refetchInterval: 5000,
  })
}

export function useSetRealtime() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (enabled: boolean) => callApi(setRealtimeEnabled, { body: { enabled } }),
    onSuccess: (status) => queryClient.setQueryData(realtimeKey, status),
  })
}
