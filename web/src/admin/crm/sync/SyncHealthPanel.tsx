// Sync health at a glance, the Synchronize button and the running run's progress.
import { SimpleGrid, Stack } from '@mantine/core'

import type { SyncHealth } from '../../../../../contracts/api/sync.api.js'
import { Notice } from '../../../components/Notice.js'
import { Stat } from '../../../components/Stat.js'
import { formatDateTime } from '../../../shared/format.js'
import { SyncNowPanel } from './SyncNowPanel.js'

const connectionLabels = {
  healthy: 'Healthy',
  needs_attention: 'Needs attention',
  disconnected: 'Disconnected',
} as const

export function SyncHealthPanel({ health }: { health: SyncHealth }) {
  const status = health.connectionStatus
  return (
    <Stack gap="md">
      <SimpleGrid component="dl" cols={{ base: 2, sm: 4 }} spacing="md" m={0} aria-label="Sync health">
        <Stat label="Connection" value={status ? connectionLabels[status] : 'Not set up'} />
        <Stat label="Last success" value={formatDateTime(health.lastSuccessAt, 'Never')} />
        <Stat label="Next run" value={formatDateTime(health.nextRunAt, 'Not scheduled')} />
        <Stat label="Paused until" value={formatDateTime(health.pausedUntil, 'Not paused')} />
      </SimpleGrid>
      {status === 'needs_attention' && (
        <Notice tone="warning">
          <span>{health.statusReason}</span>
          {health.statusHint && <span>{health.statusHint}</span>}
        </Notice>
      )}
      {health.runsFailing && (
        <Notice tone="warning" title={health.runsFailing.message}>
          {health.runsFailing.hint}
        </Notice>
      )}
      {health.hiddenFields.length > 0 && (
        <Notice tone="warning">
          The integration user cannot read these fields, so they are not synced:{' '}
          {health.hiddenFields.join(', ')}.
        </Notice>
      )}
      <SyncNowPanel health={health} />
    </Stack>
  )
}
