// "Salesforce account" on the portal home: the signed-in member links their own Salesforce login so their
// edits run as them in Salesforce. Shown while edits are allowed for them (or while a link exists, so it can
// always be disconnected); it names the linked username and says when the link needs reconnecting.
import { Button, Card, Group, Text, Title } from '@mantine/core'
import { useSearchParams } from 'react-router'

import {
  useConnectSalesforceAccount,
  useDisconnectSalesforceAccount,
  useSalesforceAccount,
} from '../api/use-salesforce-account.js'
import { Notice } from '../components/Notice.js'

export function SalesforceAccountCard() {
  const account = useSalesforceAccount()
  const connect = useConnectSalesforceAccount()
  const disconnect = useDisconnectSalesforceAccount()
  const [searchParams] = useSearchParams()
  const data = account.data
  if (!data || (!data.available && !data.link)) return null
  const link = data.link
  const connected = searchParams.get('salesforceAccount') === 'connected'
  const failed = searchParams.get('salesforceAccountError')
  return (
    <Card component="li" withBorder padding="md" aria-labelledby="salesforce-account-title">
      <Title order={2} id="salesforce-account-title">
        Salesforce account
      </Title>
      <Text c="dimmed" mt="xs" mb="sm">
        {link
          ? 'Your edits from the portal are saved in Salesforce as you.'
          : 'Connect your own Salesforce login so your edits are saved in Salesforce under your name. Otherwise they are saved as the integration user.'}
      </Text>
      {connected && link?.status === 'connected' && (
        <Notice tone="success" role="status">
          Your Salesforce account is connected.
        </Notice>
      )}
      {failed && (
        <Notice tone="error" role="alert">
          Connecting your Salesforce account failed: {failed}
        </Notice>
      )}
      {link?.status === 'needs_reconnect' && (
        <Notice tone="warning" title="Reconnect your Salesforce account" role="status">
          Salesforce no longer accepts the connection{link.statusReason ? ` (${link.statusReason})` : ''}.
          Your edits are not saved until you connect again or disconnect.
        </Notice>
      )}
      {link && (
        <Text mt="sm">
          Connected as <strong>{link.username ?? link.salesforceUserId}</strong>
          {link.name ? ` (${link.name})` : ''}
        </Text>
      )}
      {(connect.error ?? disconnect.error) && (
        <Notice tone="error" role="alert">
          {(connect.error ?? disconnect.error)?.message}
        </Notice>
      )}
      <Group mt="md">
        {data.available && (!link || link.status === 'needs_reconnect') && (
          <Button onClick={() => connect.mutate()} loading={connect.isPending}>
            {link ? 'Reconnect' : 'Connect my Salesforce account'}
          </Button>
        )}
        {link && (
          <Button variant="default" onClick={() => disconnect.mutate()} loading={disconnect.isPending}>
            Disconnect
          </Button>
        )}
      </Group>
    </Card>
  )
}
