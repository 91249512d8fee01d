// Synchronize, its answer and the running run's progress: on the Sync Log, and on Setup right after Save
// Settings, so the admin watches the first sync where they started it.
import { Button, Group, Stack, Text } from '@mantine/core'

import type { SyncHealth } from '../../../../../contracts/api/sync.api.js'
import { useStartSync } from '../../../api/use-sync.js'
import { FormAlert } from '../../../components/Field.js'
import { SyncProgress } from './SyncProgress.js'

export function SyncNowPanel({ health }: { health: SyncHealth }) {
  const start = useStartSync()
  const running = health.currentRun
  return (
    <Stack gap="sm">
      <Group>
        <Button disabled={start.isPending || !health.configured} onClick={() => start.mutate()}>
          {start.isPending ? 'Starting…' : 'Synchronize'}
        </Button>
      </Group>
      {!health.configured && (
        <Text size="sm" c="dimmed">
          Connect Salesforce on the Setup tab first.
        </Text>
      )}
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
    </Stack>
  )
}
