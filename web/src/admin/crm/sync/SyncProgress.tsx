import type { ApiSyncRun } from '../../../../../contracts/api/sync.api.js'
import { formatDuration, formatNumber } from '../../../shared/format.js'

/** The running run: a progress bar, records done of the total, rate and time left. */
export function SyncProgress({ run }: { run: ApiSyncRun }) {
  const percent = run.progress?.percent ?? null
  const rate = run.progress?.recordsPerSecond ?? null
  const left = run.progress?.secondsLeft ?? null
  return (
    <div className="sync-progress stack panel" aria-live="polite">
      <p>
        <strong>Run #{run.id} is running</strong> ({run.trigger}
        {run.method ? `, ${run.method.toUpperCase()}` : ''})
      </p>
      <progress
        aria-label="Sync progress"
        max={100}
        value={percent ?? undefined}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
      />
      <p className="muted small">
        {formatNumber(run.recordsFetched)}
        {run.recordsTotal !== null ? ` of ${formatNumber(run.recordsTotal)}` : ''} records
        {percent !== null ? ` (${Math.round(percent)} %)` : ''}
        {rate !== null ? ` · ${formatNumber(Math.round(rate))} records/s` : ''}
        {left !== null ? ` · about ${formatDuration(left * 1000)} left` : ''}
      </p>
    </div>
  )
}
