import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import { listModules, setModuleEnabled, type ModuleSummary } from '../../../contracts/api/modules.api.js'
import { callApi, type CallOptions } from './client.js'

export const modulesKey = ['modules'] as const

export function useModules() {
  return useQuery({ queryKey: [...modulesKey, 'list'], queryFn: () => callApi(listModules) })
}

/** The CRM module, or undefined while loading; the portal navigation hides CRM unless it is enabled. */
export function useCrmModule(): {
  module: ModuleSummary | undefined
  isLoading: boolean
  error: Error | null
} {
  const modules = useModules()
  return {
    module: modules.data?.modules.find((module) => module.id === 'crm'),
    isLoading: modules.isLoading,
    error: modules.error,
  }
}

export function useSetModuleEnabled() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (options: CallOptions<typeof setModuleEnabled>) => callApi(setModuleEnabled, options),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: modulesKey }),
  })
}
