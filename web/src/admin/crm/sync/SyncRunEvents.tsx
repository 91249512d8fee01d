// A run's events, oldest first, opened from the Sync Log table.
import { Group, Paper, Stack, Text, Title } from '@mantine/core'
import { Fragment } from 'react'

import { useSyncRun } from '../../../api/use-sync.js'
import { QueryError, Spinner } from '../../../components/QueryState.js'
import { StatusBadge } from '../../../components/StatusBadge.js'
import { formatDateTime } from '../../../shared/format.js'
import { messagePieces } from '../../../shared/message-parts.js'

export function SyncRunEvents({ id }: { id: number }) {
  const query = useSyncRun(id)
  return (
    <Paper withBorder p="md" component="section" aria-label={`Events of run #${id}`}>
      <Stack gap="sm">
        <Title order={3}>Run #{id} events</Title>
        {query.isLoading ? (
          <Spinner label="Loading events" />
        ) : query.error || !query.data ? (
          <QueryError error={query.error} />
        ) : query.data.events.length === 0 ? (
          <Text c="dimmed">No events recorded.</Text>
        ) : (
          <Stack component="ul" gap={6} p={0} m={0} style={{ listStyle: 'none' }}>
            {query.data.events.map((event) => (
              <Group component="li" key={event.id} gap="sm" wrap="nowrap" align="flex-start">
                <StatusBadge
                  tone={
                    event.level === 'error' ? 'danger' : event.level === 'warning' ? 'warning' : 'neutral'
                  }
                >
                  {event.level}
                </StatusBadge>
                <Text size="sm">
                  <Text span size="xs" c="dimmed">
                    {formatDateTime(event.at, 'Never')}
                  </Text>{' '}
                  {messagePieces(event.parts).map((piece, index) =>
                    piece.dateTime ? (
                      <time key={index} dateTime={piece.dateTime}>
                        {piece.text}
                      </time>
                    ) : (
                      <Fragment key={index}>{piece.text}</Fragment>
                    ),
                  )}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  )
}
