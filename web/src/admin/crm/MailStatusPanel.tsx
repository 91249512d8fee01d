// Module Settings > Feed > Notification email: whether email goes out, what deliveries came to, the newest
// error with its time and what to do about it (GET /api/admin/crm/mail-status; the server picks the state).
import { Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconClockPause,
  IconMailOff,
  IconMailQuestion,
} from '@tabler/icons-react'

import type { MailState, MailStatus } from '../../../../contracts/api/mail-status.api.js'
import { useMailStatus } from '../../api/use-feed.js'
import { Notice } from '../../components/Notice.js'
import { QueryError, Spinner } from '../../components/QueryState.js'
import { Stat } from '../../components/Stat.js'
import { StatusBadge } from '../../components/StatusBadge.js'
import { formatDateTime, formatNumber } from '../../shared/format.js'
import type { Tone } from '../../theme/theme.js'

const states: Record<MailState, { label: string; tone: Tone; Icon: typeof IconCircleCheck }> = {
  off: { label: 'Not configured', tone: 'neutral', Icon: IconMailOff },
  working: { label: 'Working', tone: 'success', Icon: IconCircleCheck },
  failing: { label: 'Failing', tone: 'danger', Icon: IconAlertTriangle },
  stalled: { label: 'Stalled', tone: 'warning', Icon: IconClockPause },
  unconfirmed: { label: 'Not all confirmed', tone: 'warning', Icon: IconMailQuestion },
}

export function MailStatusPanel() {
  const query = useMailStatus()
  if (query.isLoading) return <Spinner label="Loading notification email status" />
  if (query.error || !query.data) return <QueryError error={query.error} />
  return <MailStatusView status={query.data} />
}

function MailStatusView({ status }: { status: MailStatus }) {
  const { label, tone, Icon } = states[status.state]
  const { counts } = status
  return (
    <Stack gap="sm" maw={640} component="section" aria-labelledby="mail-status-title">
      <Group gap="sm">
        <Title order={3} id="mail-status-title">
          Notification email
        </Title>
        <StatusBadge tone={tone} icon={<Icon size={14} aria-hidden="true" />}>
          {label}
        </StatusBadge>
      </Group>
      {status.configured && (
        <Text size="sm" c="dimmed">
          {status.sender ? `Sent from ${status.sender}. ` : ''}Notifications of the last{' '}
          {formatNumber(status.days)} days.
        </Text>
      )}
      {status.configured && (
        <SimpleGrid component="dl" cols={{ base: 3, sm: 6 }} spacing="sm" m={0} aria-label="Email counts">
          <Stat label="Sent" value={formatNumber(counts.sent)} />
          <Stat label="Waiting" value={formatNumber(counts.pending)} />
          <Stat label="Failing" value={formatNumber(counts.failing)} />
          <Stat label="Skipped" value={formatNumber(counts.skipped)} />
          <Stat label="Not confirmed" value={formatNumber(counts.unconfirmed)} />
          <Stat label="Stalled" value={formatNumber(counts.stalled)} />
        </SimpleGrid>
      )}
      {status.lastError && (
        <Text size="sm">
          Last error ({formatDateTime(status.lastError.at)}): {status.lastError.message}
        </Text>
      )}
      {status.hint && <Notice tone={status.state === 'failing' ? 'warning' : 'info'}>{status.hint}</Notice>}
    </Stack>
  )
}
