// Sync health at a glance, the Synchronize button and the running run's progress.
import { Button } from '@mantine/core'
import type { SyncHealth } from '../../../../../contracts/api/sync.api.js'
import { useStartSync } from '../../../api/use-sync.js'
import { FormAlert } from '../../../components/Field.js'
import { formatDateTime } from '../../../shared/format.js'
import { SyncProgress } from './SyncProgress.js'
import { Notice } from '../../../components/Notice.js'

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
          <dd>{formatDateTime(health.lastSuccessAt, 'Never')}</dd>
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
        <Notice tone="warning">
          <span>{health.statusReason}</span>
          {health.statusHint && <span>{health.statusHint}</span>}
        </Notice>
      )}
      {health.hiddenFields.length > 0 && (
        <Notice tone="warning">
          The integration user cannot read these fields, so they are not synced:{' '}
          {health.hiddenFields.join(', ')}.
        </Notice>
      )}
      <div className="button-row">
        <Button disabled={start.isPending || !health.configured} onClick={() => start.mutate()}>
          {start.isPending ? 'Starting…' : 'Synchronize'}
        </Button>
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
