// The Setup tab: the connection's health, the OAuth return messages, the form, Synchronize and Disconnect.
import { Button, Group, Stack, Text, TextInput, Title } from '@mantine/core'
import { useState } from 'react'
import { useSearchParams } from 'react-router'

import type { ApiConnection } from '../../../../../contracts/api/crm-connection.api.js'
import { useConnection, useDisconnect } from '../../../api/use-crm-connection.js'
import { CopyButton } from '../../../components/CopyButton.js'
import { Dialog, DialogActions } from '../../../components/Dialog.js'
import { FormAlert } from '../../../components/Field.js'
import { QueryError, Spinner } from '../../../components/QueryState.js'
import { formatDateTime } from '../../../shared/format.js'
import { ConnectionForm } from './ConnectionForm.js'
import { RealtimeSwitch } from './RealtimeSwitch.js'
import { SetupSyncSection } from './SetupSyncSection.js'
import { Notice } from '../../../components/Notice.js'
import { Panel } from '../../../components/Panel.js'
import { StatusBadge } from '../../../components/StatusBadge.js'

export function SetupTab() {
  const query = useConnection()
  const [searchParams] = useSearchParams()
  const connected = searchParams.get('connected') === '1'
  const oauthError = searchParams.get('oauthError')
  // When the settings were last saved here (or by the return from Connect with Salesforce): the first sync
  // is on its way, and the Synchronization section follows it.
  const [savedAt, setSavedAt] = useState<number | null>(() => (connected ? Date.now() : null))
  if (query.isLoading) return <Spinner label="Loading the connection" />
  if (query.error || !query.data)
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />
  const { connection, oauthCallbackUrl, userLinkCallbackUrl } = query.data
  return (
    <Stack gap="md">
      <Title order={2}>Setup</Title>
      {connected && <Notice tone="success">Connected with Salesforce. The settings are saved.</Notice>}
      {oauthError && <Notice tone="error">Connecting with Salesforce failed: {oauthError}</Notice>}
      <ConnectionStatus connection={connection} />
      <ConnectionForm connection={connection} onSaved={() => setSavedAt(Date.now())} />
      {connection?.status === 'healthy' && <SetupSyncSection savedAt={savedAt} />}
      {connection?.status === 'healthy' && <RealtimeSwitch />}
      <CallbackUrls setupUrl={oauthCallbackUrl} userLinkUrl={userLinkCallbackUrl} />
      {connection && connection.status !== 'disconnected' && <DisconnectSection />}
    </Stack>
  )
}

/** The two URLs Salesforce may send a browser back to, each to add to the Connected App's Callback URL list. */
function CallbackUrls({ setupUrl, userLinkUrl }: { setupUrl: string; userLinkUrl: string }) {
  return (
    <Panel>
      <Title order={3}>Callback URLs for the Connected App</Title>
      <Text size="sm" c="dimmed">
        Add both to the Connected App&apos;s Callback URL list, one per line. Salesforce sends a browser back
        only to a URL on that list, and each sign-in comes back to its own one.
      </Text>
      <CallbackUrlField
        id="oauth-callback-url"
        label="Setup callback URL"
        why="For Connect with Salesforce on this page, when an admin links the org."
        url={setupUrl}
      />
      <CallbackUrlField
        id="user-link-callback-url"
        label="Member callback URL"
        why="For Connect my Salesforce account on the portal home, when a member links their own Salesforce login so their edits carry their name in Salesforce."
        url={userLinkUrl}
      />
    </Panel>
  )
}

function CallbackUrlField({ id, label, why, url }: { id: string; label: string; why: string; url: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-end">
      <TextInput
        flex={1}
        miw={0}
        id={id}
        label={label}
        description={why}
        readOnly
        value={url}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
      <CopyButton text={url} targetId={id} name={`Copy link: ${label}`} />
    </Group>
  )
}

export function ConnectionStatus({ connection }: { connection: ApiConnection | null }) {
  if (!connection || connection.status === 'disconnected')
    return (
      <Notice tone="info" role="status">
        <span>
          Status: <StatusBadge>Disconnected</StatusBadge>
          {connection?.statusReason ? ` — ${connection.statusReason}` : ' — Salesforce is not connected yet.'}
        </span>
      </Notice>
    )
  if (connection.status === 'needs_attention')
    return (
      <Notice tone="warning" role="status">
        <span>
          Status: <StatusBadge tone="warning">Needs attention</StatusBadge> {connection.statusReason}
        </span>
        {connection.statusHint && <span>{connection.statusHint}</span>}
      </Notice>
    )
  return (
    <Notice tone="success" role="status">
      <span>
        Status: <StatusBadge tone="success">Healthy</StatusBadge> Connected
        {connection.username ? ` as ${connection.username}` : ''} since{' '}
        {formatDateTime(connection.statusChangedAt, 'Never')}.
      </span>
    </Notice>
  )
}

function DisconnectSection() {
  const [confirming, setConfirming] = useState(false)
  const disconnect = useDisconnect()
  return (
    <Panel>
      <Title order={3}>Disconnect</Title>
      <Text size="sm" c="dimmed">
        Revokes the tokens at Salesforce and deletes every stored secret.
      </Text>
      <div>
        <Button color="red" onClick={() => setConfirming(true)}>
          Disconnect
        </Button>
      </div>
      <FormAlert
        tone="success"
        message={
          disconnect.data
            ? `Disconnected.${disconnect.data.revoked ? ' The tokens were revoked at Salesforce.' : ''}`
            : null
        }
      />
      {confirming && (
        <Dialog title="Disconnect Salesforce?" onClose={() => setConfirming(false)}>
          <Text>Syncing stops and the stored credentials are deleted. You can connect again later.</Text>
          <FormAlert message={disconnect.isError ? disconnect.error.message : null} />
          <DialogActions>
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button
              color="red"
              disabled={disconnect.isPending}
              onClick={() => disconnect.mutate(undefined, { onSuccess: () => setConfirming(false) })}
            >
              {disconnect.isPending ? 'Disconnecting…' : 'Disconnect'}
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </Panel>
  )
}
