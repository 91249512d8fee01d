// The running run: a progress bar, records done of the total, rate and time left, while it moves. A run that
// stopped reporting or making progress shows what is wrong and what happens next instead (no bar, no ETA).
import { Progress, Stack, Text } from '@mantine/core'

import type { ApiSyncRun } from '../../../../../contracts/api/sync.api.js'
import { Notice } from '../../../components/Notice.js'
import { formatDuration, formatNumber } from '../../../shared/format.js'

export function SyncProgress({ run }: { run: ApiSyncRun }) {
  const records = `${formatNumber(run.recordsFetched)}${run.recordsTotal !== null ? ` of ${formatNumber(run.recordsTotal)}` : ''} records`
  if (run.stop) {
    return (
      <Notice tone="warning" role="status" title={`Run #${run.id} is not moving`}>
        <Text size="sm">
          {run.stop === 'not_reporting'
            ? `Its process has not reported for ${formatDuration((run.idleSeconds ?? 0) * 1000)}: it will be marked interrupted, and the next run resumes from the last saved page.`
            : `No page saved and no answer from Salesforce for ${formatDuration((run.idleSeconds ?? 0) * 1000)}: if it stays so, it is ended as stalled and the next run resumes from the last saved page.`}
        </Text>
        <Text size="sm" c="dimmed">
          {records} so far, {run.lastPage} pages saved.
        </Text>
      </Notice>
    )
  }
  const percent = run.progress?.percent ?? null
  const rate = run.progress?.recordsPerSecond ?? null
  const left = run.progress?.secondsLeft ?? null
  return (
    <Stack gap={6} aria-live="polite">
      <Text>
        <strong>Run #{run.id} is running</strong> ({run.trigger}
        {run.method ? `, ${run.method.toUpperCase()}` : ''})
      </Text>
      <Progress.Root size="lg">
        <Progress.Section
          value={percent ?? 100}
          striped={percent === null}
          animated={percent === null}
          aria-label="Sync progress"
          {...(percent === null ? { 'aria-valuenow': undefined } : {})}
        />
      </Progress.Root>
      <Text size="sm" c="dimmed">
        {records}
        {percent !== null ? ` (${Math.round(percent)} %)` : ''}
        {rate !== null ? ` · ${formatNumber(Math.round(rate))} records/s` : ''}
        {left !== null ? ` · about ${formatDuration(left * 1000)} left` : ''}
      </Text>
    </Stack>
  )
}
