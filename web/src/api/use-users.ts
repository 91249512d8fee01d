import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import {
  createUser,
  issuePasswordResetLink,
  listUsers,
  updateUser,
} from '../../../contracts/api/users.api.js'
import { callApi, type CallOptions } from './client.js'

export const usersKey = ['users'] as const

export function useUsers(search: string) {
  const query = { search: search.trim() || undefined, includeInactive: 'true' as const }
  return useQuery({
    queryKey: [...usersKey, 'list', query],
    queryFn: () => callApi(listUsers, { query }),
    // Keep the table on screen while a new search loads instead of flashing a spinner per keystroke.
    placeholderData: keepPreviousData,
  })
}

export function useCreateUser() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (options: CallOptions<typeof createUser>) => callApi(createUser, options),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  })
}

export function useUpdateUser() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (options: CallOptions<typeof updateUser>) => callApi(updateUser, options),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  })
}

export function useIssueResetLink() {
  return useMutation({
    mutationFn: (options: CallOptions<typeof issuePasswordResetLink>) =>
      callApi(issuePasswordResetLink, options),
  })
}
