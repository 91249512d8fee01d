// Setup's "Real-time updates (Change Data Capture)" switch. Turning it on asks the server to check with
// Salesforce first; a refusal shows Salesforce's reason and what to change in Salesforce Setup.
import { Stack, Switch, Text, Title } from '@mantine/core'

import { ApiError } from '../../../api/client.js'
import { useRealtimeStatus, useSetRealtime } from '../../../api/use-realtime.js'
import { Notice } from '../../../components/Notice.js'
import { Panel } from '../../../components/Panel.js'

export function RealtimeSwitch() {
  const status = useRealtimeStatus()
  const change = useSetRealtime()
  const hint =
    change.error instanceof ApiError && typeof change.error.details?.['hint'] === 'string'
      ? change.error.details['hint']
      : null
  return (
    <Panel>
      <Title order={3}>Real-time updates</Title>
      <Stack gap="xs">
        <Switch
          label="Real-time updates (Change Data Capture)"
          description="Changes made in Salesforce appear within seconds. Scheduled syncs keep running as the safety net."
          checked={change.isPending ? change.variables : (status.data?.enabled ?? false)}
          disabled={!status.data || change.isPending}
          onChange={(event) => change.mutate(event.currentTarget.checked)}
        />
        {change.isPending && change.variables && (
          <Text size="sm" c="dimmed" role="status">
            Checking that Salesforce sends Opportunity change events…
          </Text>
        )}
        {change.error && (
          <Notice tone="error">
            <span>{change.error.message}</span>
            {hint && <span>{hint}</span>}
          </Notice>
        )}
      </Stack>
    </Panel>
  )
}
