// First run: the server logs `<base>/setup?token=…` while no admin exists. This page creates that admin
// and signs them straight into the Admin Portal.
import { Button, Code, Stack, Text } from '@mantine/core'
import { useState, type FormEvent } from 'react'
import { Link, Navigate, useSearchParams } from 'react-router'

import { completeSetup } from '../../../contracts/api/auth.api.js'
import { isApiError, validateBody } from '../api/client.js'
import { useCompleteSetup, useSession } from '../api/use-session.js'
import { formErrors } from '../components/form-errors.js'
import { FormAlert, TextField } from '../components/Field.js'
import { QueryError, Spinner } from '../components/QueryState.js'
import { AuthLayout } from './AuthLayout.js'
import { confirmError, NewPasswordFields, type NewPassword } from './NewPasswordFields.js'
import { Notice } from '../components/Notice.js'

export function SetupPage() {
  const [searchParams] = useSearchParams()
  const token = searchParams.get('token') ?? ''
  const session = useSession()
  const setup = useCompleteSetup()
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState<NewPassword>({ password: '', confirm: '' })
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({})

  if (setup.isSuccess) return <Navigate to="/admin" replace />
  if (session.isPending) return <Spinner label="Loading" fullPage />
  if (session.isError)
    return <QueryError error={session.error} onRetry={() => void session.refetch()} fullPage />

  if (!session.data.setupRequired) {
    return (
      <AuthLayout title="Setup is complete">
        <Text>An admin account already exists, so this setup link no longer works.</Text>
        <Button component={Link} fullWidth to="/login">
          Go to sign in
        </Button>
      </AuthLayout>
    )
  }
  if (!token) {
    return (
      <AuthLayout title="Set up your workspace">
        <Notice tone="info">
          Open this page with the setup link printed in the server log. It looks like{' '}
          <Code>/setup?token=…</Code> and works once.
        </Notice>
      </AuthLayout>
    )
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const body = { token, name, email, password: password.password }
    const errors = { ...validateBody(completeSetup, body), ...confirmError(password) }
    setClientErrors(errors)
    if (Object.keys(errors).length === 0) setup.mutate({ body })
  }

  const { fields: errors, message } = formErrors(setup.error, clientErrors)
  const formMessage = isApiError(setup.error, 'SETUP_LINK_INVALID')
    ? 'This setup link has expired or was already used. Restart the server to print a new one.'
    : message

  return (
    <AuthLayout
      title="Create the admin account"
      intro={
        <Text c="dimmed">This first account is the network admin. You can add more people afterwards.</Text>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={formMessage} />
          <TextField
            label="Name"
            name="name"
            autoComplete="name"
            required
            error={errors['name']}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <TextField
            label="Email"
            type="email"
            name="email"
            autoComplete="email"
            required
            error={errors['email']}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
          <NewPasswordFields value={password} onChange={setPassword} errors={errors} />
          <Button fullWidth type="submit" disabled={setup.isPending}>
            {setup.isPending ? 'Creating…' : 'Create admin account'}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  )
}
