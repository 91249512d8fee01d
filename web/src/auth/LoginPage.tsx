import { Button, Code, Stack, Text } from '@mantine/core'
import { useState, type FormEvent } from 'react'
import { Navigate, useNavigate, useSearchParams } from 'react-router'

import { isApiError } from '../api/client.js'
import { useLogin, useSession, useSessionEndReason } from '../api/use-session.js'
import { homePathFor } from '../app/guards.js'
import { FormAlert, TextField } from '../components/Field.js'
import { QueryError, Spinner } from '../components/QueryState.js'
import { AuthLayout } from './AuthLayout.js'
import { safeNextPath } from './safe-next.js'
import { SsoSignIn } from './SsoSignIn.js'
import { Notice } from '../components/Notice.js'

function loginErrorMessage(err: unknown): string {
  if (isApiError(err, 'INVALID_CREDENTIALS')) return 'The email or password is not correct.'
  // The server's message says when the next attempt is allowed, so show it as is.
  if (isApiError(err, 'TOO_MANY_ATTEMPTS')) return err.message
  if (isApiError(err, 'ACCOUNT_DISABLED'))
    return 'This account has been deactivated. Ask an admin to reactivate it.'
  // The server names the identity provider to use instead.
  if (isApiError(err, 'SSO_REQUIRED')) return err.message
  if (isApiError(err, 'VALIDATION_FAILED')) return 'Enter your email address and password.'
  return err instanceof Error ? err.message : 'Signing in failed. Try again.'
}

export function LoginPage() {
  const session = useSession()
  const login = useLogin()
  const navigate = useNavigate()
  const [searchParams] = useSearchParams()
  const endReason = useSessionEndReason()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const next = safeNextPath(searchParams.get('next'))

  if (session.isPending) return <Spinner label="Loading" fullPage />
  if (session.isError)
    return <QueryError error={session.error} onRetry={() => void session.refetch()} fullPage />
  const user = session.data.user
  if (user && !login.isPending) return <Navigate to={next ?? homePathFor(user.role)} replace />

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    login.mutate(
      { body: { email, password } },
      {
        onSuccess: (result) =>
          void navigate(next ?? homePathFor(result.user?.role ?? 'member'), { replace: true }),
      },
    )
  }

  return (
    <AuthLayout title="Sign in">
      {session.data.setupRequired && (
        <Notice tone="info" role="note">
          <Text inherit>
            <strong>First-run setup is not finished.</strong> No admin account exists yet. Open the setup link
            printed in the server log (it looks like <Code>/setup?token=…</Code>) to create the first admin.
          </Text>
        </Notice>
      )}
      {endReason === 'SESSION_EXPIRED' && !login.isError && (
        <Notice tone="info">Your session has ended. Sign in again to continue.</Notice>
      )}
      <SsoSignIn next={next}>
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            <FormAlert message={login.isError ? loginErrorMessage(login.error) : null} />
            <TextField
              label="Email"
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
            <TextField
              label="Password"
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
            <Button fullWidth type="submit" disabled={login.isPending}>
              {login.isPending ? 'Signing in…' : 'Sign in'}
            </Button>
          </Stack>
        </form>
      </SsoSignIn>
      <Text size="sm" c="dimmed">
        Forgot your password? Ask an admin for a reset link.
      </Text>
    </AuthLayout>
  )
}
