// The Sync Log tab: health at a glance, Synchronize with live progress, the runs and the sync settings.
import { Stack, Title } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useEffect, useRef } from 'react'

import { syncKey, useSyncHealth, useSyncRuns } from '../../../api/use-sync.js'
import { QueryError, Spinner } from '../../../components/QueryState.js'
import { RealtimePanel } from './RealtimePanel.js'
import { SyncHealthPanel } from './SyncHealthPanel.js'
import { SyncRunsTable } from './SyncRunsTable.js'
import { SyncSettingsForm } from './SyncSettingsForm.js'

// recharts is large: load the chart on its own so the rest of the app stays small.
const SyncRunsChart = lazy(() => import('./SyncRunsChart.js').then((m) => ({ default: m.SyncRunsChart })))

export function SyncLogTab() {
  const health = useSyncHealth()
  const running = Boolean(health.data?.currentRun)
  const runs = useSyncRuns(running)
  const queryClient = useQueryClient()
  const wasRunning = useRef(running)
  useEffect(() => {
    // When a run ends, fetch the table once more so it shows the final status and counts.
    if (wasRunning.current && !running) void queryClient.invalidateQueries({ queryKey: [...syncKey, 'runs'] })
    wasRunning.current = running
  }, [running, queryClient])
  const allRuns = runs.data?.pages.flatMap((page) => page.runs) ?? []
  return (
    <Stack gap="lg">
      <Title order={2}>Sync Log</Title>
      {health.isLoading ? (
        <Spinner label="Loading sync health" />
      ) : health.error || !health.data ? (
        <QueryError error={health.error} onRetry={() => void health.refetch()} />
      ) : (
        <SyncHealthPanel health={health.data} />
      )}
      <RealtimePanel />
      <Title order={3}>Runs</Title>
      {runs.isLoading ? (
        <Spinner label="Loading runs" />
      ) : runs.error ? (
        <QueryError error={runs.error} onRetry={() => void runs.refetch()} />
      ) : (
        <>
          <Suspense fallback={<Spinner label="Loading the chart" />}>
            <SyncRunsChart runs={allRuns} />
          </Suspense>
          <SyncRunsTable
            runs={allRuns}
            hasOlder={runs.hasNextPage}
            loadingOlder={runs.isFetchingNextPage}
            onOlder={() => void runs.fetchNextPage()}
          />
        </>
      )}
      {health.data?.settings && <SyncSettingsForm settings={health.data.settings} />}
    </Stack>
  )
}
