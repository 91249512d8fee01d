// Synchronization on the Setup tab: Synchronize and the running run, as on the Sync Log. After Save Settings
// (or the return from Connect with Salesforce) it says the first sync started and shows its progress here.
import { Text, Title } from '@mantine/core'
import { Link } from 'react-router'

import { useSyncHealth } from '../../../api/use-sync.js'
import { Panel } from '../../../components/Panel.js'
import { QueryError, Spinner } from '../../../components/QueryState.js'
import { formatDateTime } from '../../../shared/format.js'
import { SyncNowPanel } from '../sync/SyncNowPanel.js'

export function SetupSyncSection({ savedAt }: { savedAt: number | null }) {
  const health = useSyncHealth({ expectRunSince: savedAt })
  return (
    <Panel component="section" aria-labelledby="setup-sync-heading">
      <Title order={3} id="setup-sync-heading">
        Synchronization
      </Title>
      {health.isLoading ? (
        <Spinner label="Loading sync health" />
      ) : health.error || !health.data ? (
        <QueryError error={health.error} onRetry={() => void health.refetch()} />
      ) : (
        <>
          {savedAt !== null && !health.data.lastSuccessAt && (
            <Text role="status">
              {health.data.currentRun
                ? 'The first sync has started. It runs in the background: you may leave this page.'
                : 'The first sync starts in a moment.'}
            </Text>
          )}
          <Text size="sm" c="dimmed">
            Last success: {formatDateTime(health.data.lastSuccessAt, 'Never')} · Next run:{' '}
            {formatDateTime(health.data.nextRunAt, 'Not scheduled')} ·{' '}
            <Link to="/admin/modules/crm/sync-log">See all runs</Link>
          </Text>
          <SyncNowPanel health={health.data} />
        </>
      )}
    </Panel>
  )
}
