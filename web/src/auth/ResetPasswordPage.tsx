// Admins issue one-time links `<base>/reset-password?token=…`; this page sets the new password.
import { Button, Stack, Text } from '@mantine/core'
import { useState, type FormEvent } from 'react'
import { Link, useSearchParams } from 'react-router'

import { resetPassword } from '../../../contracts/api/auth.api.js'
import { isApiError, validateBody } from '../api/client.js'
import { useResetPassword } from '../api/use-session.js'
import { formErrors } from '../components/form-errors.js'
import { FormAlert } from '../components/Field.js'
import { AuthLayout } from './AuthLayout.js'
import { confirmError, NewPasswordFields, type NewPassword } from './NewPasswordFields.js'
import { Notice } from '../components/Notice.js'

export function ResetPasswordPage() {
  const [searchParams] = useSearchParams()
  const token = searchParams.get('token') ?? ''
  const reset = useResetPassword()
  const [password, setPassword] = useState<NewPassword>({ password: '', confirm: '' })
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({})

  if (!token) {
    return (
      <AuthLayout title="Reset your password">
        <Notice tone="info">
          Open this page with the reset link an admin gave you. Each link works once and expires after a day.
        </Notice>
        <Link to="/login">Back to sign in</Link>
      </AuthLayout>
    )
  }
  if (reset.isSuccess) {
    return (
      <AuthLayout title="Password changed">
        <Text role="status">Your new password is set. Sign in with it now.</Text>
        <Button component={Link} fullWidth to="/login">
          Go to sign in
        </Button>
      </AuthLayout>
    )
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const body = { token, password: password.password }
    const errors = { ...validateBody(resetPassword, body), ...confirmError(password) }
    setClientErrors(errors)
    if (Object.keys(errors).length === 0) reset.mutate({ body })
  }

  const { fields: errors, message } = formErrors(reset.error, clientErrors)
  const formMessage = isApiError(reset.error, 'RESET_LINK_INVALID')
    ? 'This reset link has expired or was already used. Ask an admin for a new one.'
    : message

  return (
    <AuthLayout title="Choose a password">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={formMessage} />
          <NewPasswordFields value={password} onChange={setPassword} errors={errors} />
          <Button fullWidth type="submit" disabled={reset.isPending}>
            {reset.isPending ? 'Saving…' : 'Set new password'}
          </Button>
        </Stack>
      </form>
      <Text size="sm">
        <Link to="/login">Back to sign in</Link>
      </Text>
    </AuthLayout>
  )
}
