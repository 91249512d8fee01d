import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import {
  createScimToken,
  getOidcSettings,
  getSignInOptions,
  listScimTokens,
  revokeScimToken,
  saveOidcSettings,
} from '../../../contracts/api/identity.api.js'
import { callApi, type CallOptions } from './client.js'

const identityKey = ['identity'] as const

/** How people sign in here: the provider button and whether passwords are refused (public). */
export function useSignInOptions() {
  return useQuery({
    queryKey: [...identityKey, 'sign-in-options'],
    queryFn: () => callApi(getSignInOptions),
    staleTime: 60_000,
  })
}

export function useOidcSettings() {
  return useQuery({ queryKey: [...identityKey, 'oidc'], queryFn: () => callApi(getOidcSettings) })
}

export function useSaveOidcSettings() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (options: CallOptions<typeof saveOidcSettings>) => callApi(saveOidcSettings, options),
    onSuccess: (view) => {
      queryClient.setQueryData([...identityKey, 'oidc'], view)
      void queryClient.invalidateQueries({ queryKey: [...identityKey, 'sign-in-options'] })
    },
  })
}

export function useScimTokens() {
  return useQuery({ queryKey: [...identityKey, 'scim-tokens'], queryFn: () => callApi(listScimTokens) })
}

export function useCreateScimToken() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (options: CallOptions<typeof createScimToken>) => callApi(createScimToken, options),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...identityKey, 'scim-tokens'] }),
  })
}

export function useRevokeScimToken() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (options: CallOptions<typeof revokeScimToken>) => callApi(revokeScimToken, options),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...identityKey, 'scim-tokens'] }),
  })
}
