// Route guards read the session query. They only decide what to render; the server enforces access
// on every endpoint regardless (a member's direct call to an admin API gets 403).
import type { ReactNode } from 'react'
import { Navigate, Outlet, useLocation } from 'react-router'

import { useSession } from '../api/use-session.js'
import { QueryError, Spinner } from '../components/QueryState.js'

export function homePathFor(role: 'admin' | 'member'): string {
  return role === 'admin' ? '/admin' : '/portal'
}

export function RequireSession() {
  const session = useSession()
  const location = useLocation()
  if (session.isPending) return <Spinner label="Loading your session" fullPage />
  if (session.isError)
    return <QueryError error={session.error} onRetry={() => void session.refetch()} fullPage />
  if (!session.data.user) {
    const next = location.pathname + location.search
    const to = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`
    return <Navigate to={to} replace />
  }
  return <Outlet />
}

export function RequireAdmin({ fallback }: { fallback: ReactNode }) {
  const session = useSession()
  return session.data?.user?.role === 'admin' ? <Outlet /> : fallback
}

export function HomeRedirect() {
  const session = useSession()
  const role = session.data?.user?.role ?? 'member'
  return <Navigate to={homePathFor(role)} replace />
}
