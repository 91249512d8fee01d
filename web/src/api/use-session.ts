// Session state: who is signed in, the CSRF token, and whether first-run setup is pending.
// The session query is the single source of truth for the route guards; sign-in, setup and sign-out
// write it directly so the UI never shows one user's cached data to the next.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'

import {
  completeSetup,
  getSession,
  login,
  resetPassword,
  type Session,
} from '../../../contracts/api/auth.api.js'
import type { ErrorCode } from '../../../contracts/api/endpoint.js'
import { oidcLogout } from '../../../contracts/api/identity.api.js'
import { callApi, setCsrfToken, type CallOptions } from './client.js'

export const sessionKey = ['session'] as const
/** Why the last session ended (SESSION_EXPIRED, say), so the login page can say so. */
const endReasonKey = ['session', 'end-reason'] as const

const signedOut: Session = { user: null, csrfToken: null, setupRequired: false }

async function fetchSession(): Promise<Session> {
  const session = await callApi(getSession)
  setCsrfToken(session.csrfToken)
  return session
}

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 5 * 60_000 })
}

/** Starts a fresh cache for a new user and stores their session. */
function startSession(queryClient: QueryClient, session: Session): void {
  setCsrfToken(session.csrfToken)
  queryClient.clear()
  queryClient.setQueryData(sessionKey, session)
}

/** Called when any request answers UNAUTHENTICATED or SESSION_EXPIRED: the guards then send the user to login. */
export function markSignedOut(
  queryClient: QueryClient,
  reason: Extract<ErrorCode, 'UNAUTHENTICATED' | 'SESSION_EXPIRED'> | null,
): void {
  setCsrfToken(null)
  const previous = queryClient.getQueryData<Session>(sessionKey)
  queryClient.setQueryData(endReasonKey, reason)
  queryClient.setQueryData(sessionKey, { ...signedOut, setupRequired: previous?.setupRequired ?? false })
}

export function useSessionEndReason(): ErrorCode | null {
  return useQueryClient().getQueryData<ErrorCode | null>(endReasonKey) ?? null
}

export function useLogin() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (options: CallOptions<typeof login>) => callApi(login, options),
    onSuccess: (session) => startSession(queryClient, session),
  })
}

export function useCompleteSetup() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (options: CallOptions<typeof completeSetup>) => callApi(completeSetup, options),
    onSuccess: (session) => startSession(queryClient, session),
  })
}

export function useResetPassword() {
  return useMutation({
    mutationFn: (options: CallOptions<typeof resetPassword>) => callApi(resetPassword, options),
  })
}

/**
 * Signs out here; for a session opened with the identity provider the answer also carries the provider's
 * logout URL (RP-initiated logout), which the caller visits to end the session there too.
 */
export function useLogout() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => callApi(oidcLogout),
    // Signed out either way: if the session had already ended, the server answered 401 and that is fine.
    onSettled: () => {
      queryClient.clear()
      markSignedOut(queryClient, null)
    },
  })
}
