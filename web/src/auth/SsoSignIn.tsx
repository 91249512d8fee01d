// The login page's part for the company's identity provider: "Sign in with <name>", the reason a sign-in
// there was refused (?ssoError=…, a fixed message per reason), and with "SSO only" the password form folded
// away for the break-glass admin.
import { Box, Button, Stack, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import { useSearchParams } from 'react-router'

import { ssoFailureMessages, type SsoFailureReason } from '../../../contracts/api/identity.api.js'
import { useSignInOptions } from '../api/use-identity.js'
import { Notice } from '../components/Notice.js'

function failureMessage(reason: string | null): string | null {
  if (!reason) return null
  return reason in ssoFailureMessages
    ? ssoFailureMessages[reason as SsoFailureReason]
    : 'Signing in with the identity provider failed. Try again.'
}

export function SsoSignIn({ next, children }: { next: string | null; children: ReactNode }) {
  const options = useSignInOptions().data
  const [searchParams] = useSearchParams()
  const failure = failureMessage(searchParams.get('ssoError'))
  const oidc = options?.oidc
  const startUrl = oidc ? `${oidc.startUrl}${next ? `?next=${encodeURIComponent(next)}` : ''}` : null
  return (
    <>
      {failure && (
        <Notice tone="error" role="alert">
          {failure}
        </Notice>
      )}
      {oidc && startUrl && (
        <Stack gap="xs">
          <Button component="a" fullWidth href={startUrl}>
            Sign in with {oidc.displayName}
          </Button>
          {!options.ssoOnly && (
            <Text c="dimmed" size="sm" ta="center">
              or with your email and password
            </Text>
          )}
        </Stack>
      )}
      {options?.ssoOnly ? (
        <Box component="details" mt="md">
          <Box component="summary" mb="sm" style={{ cursor: 'pointer' }}>
            Break-glass admin: sign in with a password
          </Box>
          {children}
        </Box>
      ) : (
        children
      )}
    </>
  )
}
