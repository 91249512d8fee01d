// Sync health at a glance, the Synchronize button and the running run's progress.
import type { SyncHealth } from '../../../../contracts/api/sync.api.js'
import { useStartSync } from '../../api/use-sync.js'
import { FormAlert } from '../../components/Field.js'
import { formatDateTime } from '../../components/format.js'
import { SyncProgress } from './SyncProgress.js'

const connectionLabels = {
  healthy: 'Healthy',
  needs_attention: 'Needs attention',
  disconnected: 'Disconnected',
} as const

export function SyncHealthPanel({ health }: { health: SyncHealth }) {
  const start = useStartSync()
  const running = health.currentRun
  const status = health.connectionStatus
  return (
    <div className="stack">
      <dl className="stat-grid" aria-label="Sync health">
        <div>
          <dt>Connection</dt>
          <dd>{status ? connectionLabels[status] : 'Not set up'}</dd>
        </div>
        <div>
          <dt>Last success</dt>
          <dd>{formatDateTime(health.lastSuccessAt)}</dd>
        </div>
        <div>
          <dt>Next run</dt>
          <dd>{formatDateTime(health.nextRunAt, 'Not scheduled')}</dd>
        </div>
        <div>
          <dt>Paused until</dt>
          <dd>{formatDateTime(health.pausedUntil, 'Not paused')}</dd>
        </div>
      </dl>
      {status === 'needs_attention' && (
        <div className="alert alert-warning">
          <span>{health.statusReason}</span>
          {health.statusHint && <span>{health.statusHint}</span>}
        </div>
      )}
      {health.hiddenFields.length > 0 && (
        <p className="alert alert-warning">
          The integration user cannot read these fields, so they are not synced:{' '}
          {health.hiddenFields.join(', ')}.
        </p>
      )}
      <div className="button-row">
        <button
          type="button"
          className="button button-primary"
          disabled={start.isPending || !health.configured}
          onClick={() => start.mutate()}
        >
          {start.isPending ? 'Starting…' : 'Synchronize'}
        </button>
      </div>
      {!health.configured && <p className="muted small">Connect Salesforce on the Setup tab first.</p>}
      <FormAlert message={start.isError ? start.error.message : null} />
      <FormAlert
        tone="success"
        message={
          start.data?.alreadyRunning
            ? `A sync is already running (run #${start.data.run?.id ?? '?'}); showing it below.`
            : start.data?.queued
              ? 'The sync is queued and starts in a moment.'
              : start.data
                ? 'Sync started.'
                : null
        }
      />
      {running && <SyncProgress run={running} />}
    </div>
  )
}
