// The Sync Log's Real-time panel: the change stream's state (with the hint when it needs the admin), last event,
// lag from Salesforce's commit to ours, events per minute, the 24-hour delivery allocation, the stream's own
// log, and that scheduled syncs stay on as the safety net. The server computes every figure.
import { List, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { lazy, Suspense } from 'react'

import type { RealtimeStatus } from '../../../../../contracts/api/realtime.api.js'
import { useRealtimeStatus } from '../../../api/use-realtime.js'
import { Notice } from '../../../components/Notice.js'
import { QueryError, Spinner } from '../../../components/QueryState.js'
import { StatusBadge } from '../../../components/StatusBadge.js'
import { formatDateTime, formatDuration, formatNumber } from '../../../shared/format.js'
import type { Tone } from '../../../theme/theme.js'
import { Stat } from '../../../components/Stat.js'

// recharts loads with the panel's chart only, as the runs chart does.
const RealtimeChart = lazy(() => import('./RealtimeChart.js').then((m) => ({ default: m.RealtimeChart })))

const stateLabels: Record<RealtimeStatus['state'], { label: string; tone: Tone }> = {
  off: { label: 'Off', tone: 'neutral' },
  connecting: { label: 'Connecting', tone: 'info' },
  connected: { label: 'Connected', tone: 'success' },
  reconnecting: { label: 'Reconnecting', tone: 'warning' },
  failed: { label: 'Failed', tone: 'danger' },
}

export function RealtimePanel() {
  const query = useRealtimeStatus()
  if (query.isLoading) return <Spinner label="Loading real-time updates" />
  if (query.error || !query.data)
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />
  const status = query.data
  if (!status.configured) return null
  return (
    <section aria-labelledby="realtime-title">
      <Stack gap="md">
        <Title order={3} id="realtime-title">
          Real-time updates
        </Title>
        <Text role="status">
          Stream:{' '}
          <StatusBadge tone={stateLabels[status.state].tone}>{stateLabels[status.state].label}</StatusBadge>
          {status.holder ? ` (held by ${status.holder})` : ''}
        </Text>
        {!status.enabled && (
          <Text size="sm" c="dimmed">
            Off. Turn on Real-time updates (Change Data Capture) on the Setup tab to see changes within
            seconds.
          </Text>
        )}
        {status.enabled && <StreamDetails status={status} />}
        <Text size="sm" c="dimmed">
          Scheduled syncs remain the safety net:{' '}
          {status.enabled && status.state === 'connected'
            ? `every ${status.polling.healthyMinutes} min while the stream is healthy`
            : `every ${status.polling.intervalMinutes ?? '?'} min`}
          , and at once after a gap Salesforce could not send as changes.
        </Text>
      </Stack>
    </section>
  )
}

function StreamDetails({ status }: { status: RealtimeStatus }) {
  const { delivery } = status
  const lastMinutes = status.minutes.slice(-5).reduce((sum, m) => sum + m.delivered, 0)
  return (
    <>
      {(status.state === 'failed' || status.state === 'reconnecting') && status.lastError && (
        <Notice tone={status.state === 'failed' ? 'error' : 'warning'}>
          <span>{status.lastError.message}</span>
          {status.lastError.hint && <span>{status.lastError.hint}</span>}
        </Notice>
      )}
      {delivery.nearLimit && (
        <Notice tone="warning">
          {formatNumber(delivery.last24h)} of {formatNumber(delivery.limit ?? 0)} event deliveries used in the
          last 24 hours. Past the limit Salesforce stops sending change events until the window frees up;
          scheduled syncs keep the data current meanwhile.
        </Notice>
      )}
      <SimpleGrid component="dl" cols={{ base: 2, sm: 4 }} spacing="md" m={0} aria-label="Real-time figures">
        <Stat label="Last event" value={formatDateTime(status.lastEventAt, 'None yet')} />
        <Stat label="Lag" value={status.lastLagMs === null ? '—' : formatLag(status.lastLagMs)} />
        <Stat label="Events, last 5 min" value={formatNumber(lastMinutes)} />
        <Stat
          label="Deliveries, last 24 h"
          value={`${formatNumber(delivery.last24h)}${delivery.limit === null ? '' : ` of ${formatNumber(delivery.limit)}`}`}
        />
      </SimpleGrid>
      <Suspense fallback={<Spinner label="Loading the chart" />}>
        <RealtimeChart minutes={status.minutes} />
      </Suspense>
      {status.log.length > 0 && (
        <div>
          <Title order={4}>Stream events</Title>
          <List size="sm" spacing={4}>
            {status.log.map((entry, i) => (
              <List.Item key={`${entry.at}-${i}`}>
                {formatDateTime(entry.at)} — {entry.message}
                {entry.hint ? ` ${entry.hint}` : ''}
              </List.Item>
            ))}
          </List>
        </div>
      )}
    </>
  )
}

function formatLag(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : formatDuration(ms)
}
