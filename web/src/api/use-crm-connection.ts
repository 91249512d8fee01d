import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import {
  disconnect,
  getConnection,
  saveConnection,
  startOAuthConnect,
  testConnection,
  type ConnectionSettings,
} from '../../../contracts/api/crm-connection.api.js'
import { callApi } from './client.js'
import { syncKey } from './use-sync.js'

export const connectionKey = ['crm', 'connection'] as const

export function useConnection() {
  // Always fresh on opening Setup: a sync elsewhere may have changed the status.
  return useQuery({ queryKey: connectionKey, queryFn: () => callApi(getConnection), staleTime: 0 })
}

export function useTestConnection() {
  return useMutation({
    mutationFn: (body: ConnectionSettings) => callApi(testConnection, { body }),
  })
}

export function useSaveConnection() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: ConnectionSettings) => callApi(saveConnection, { body }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: connectionKey })
      await queryClient.invalidateQueries({ queryKey: syncKey })
    },
  })
}

export function useStartOAuthConnect() {
  return useMutation({
    mutationFn: (body: ConnectionSettings) => callApi(startOAuthConnect, { body }),
  })
}

export function useDisconnect() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => callApi(disconnect),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: connectionKey })
      await queryClient.invalidateQueries({ queryKey: syncKey })
    },
  })
}
