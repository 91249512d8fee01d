// Admin Portal > Identity: sign-in with the company's identity provider, the latest refused sign-ins with
// what to fix, and the SCIM tokens for provisioning.
import { List, Paper, Stack, Text, Title } from '@mantine/core'
import { useOidcSettings } from '../../api/use-identity.js'
import { formatDateTime } from '../../shared/format.js'
import { PageHeader } from '../../components/PageHeader.js'
import { QueryError, Spinner } from '../../components/QueryState.js'
import { OidcSettingsForm } from './OidcSettingsForm.js'
import { ScimTokensPanel } from './ScimTokensPanel.js'

export function IdentityPage() {
  const oidc = useOidcSettings()
  return (
    <>
      <PageHeader
        title="Identity"
        description="Sign-in with your company's identity provider (OpenID Connect) and provisioning of users and groups (SCIM 2.0)."
      />
      <Paper component="section" withBorder p="md" mb="md" aria-labelledby="identity-oidc">
        <Stack gap="sm">
          <Title order={2} id="identity-oidc">
            Sign-in with the identity provider
          </Title>
          {oidc.isPending && <Spinner label="Loading the settings" />}
          {oidc.isError && <QueryError error={oidc.error} onRetry={() => void oidc.refetch()} />}
          {oidc.data && <OidcSettingsForm view={oidc.data} />}
        </Stack>
      </Paper>
      {oidc.data && oidc.data.recentFailures.length > 0 && (
        <Paper component="section" withBorder p="md" mb="md" aria-labelledby="identity-failures">
          <Stack gap="sm">
            <Title order={2} id="identity-failures">
              Refused sign-ins
            </Title>
            <List spacing="xs" listStyleType="none">
              {oidc.data.recentFailures.map((failure) => (
                <List.Item key={`${failure.at}-${failure.reason}`}>
                  <strong>{formatDateTime(failure.at, 'Never')}</strong>: {failure.message}{' '}
                  <Text span c="dimmed">
                    {failure.hint}
                  </Text>
                </List.Item>
              ))}
            </List>
          </Stack>
        </Paper>
      )}
      <Paper component="section" withBorder p="md" mb="md" aria-labelledby="identity-scim">
        <Stack gap="sm">
          <Title order={2} id="identity-scim">
            Provisioning (SCIM)
          </Title>
          <ScimTokensPanel />
        </Stack>
      </Paper>
    </>
  )
}
