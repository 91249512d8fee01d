import { Box, Group, Paper, Stack, Text } from '@mantine/core'

import { Notice } from '../../../components/Notice.js'
import type { Tone } from '../../../theme/theme.js'
import type {
  ConnectionCheck,
  ConnectionTestReport,
} from '../../../../../contracts/api/crm-connection.api.js'
import { StatusBadge } from '../../../components/StatusBadge.js'

const statusText: Record<ConnectionCheck['status'], { icon: string; word: string; tone: Tone }> = {
  passed: { icon: '✓', word: 'Passed', tone: 'success' },
  warning: { icon: '!', word: 'Warning', tone: 'warning' },
  failed: { icon: '✗', word: 'Failed', tone: 'danger' },
  skipped: { icon: '–', word: 'Skipped', tone: 'neutral' },
}

/** The Test Connection report: one row per check with its outcome, message and hint. */
export function CheckList({ report }: { report: ConnectionTestReport }) {
  return (
    <Stack gap="sm">
      <Notice tone={report.ok ? 'success' : 'error'}>
        {report.ok
          ? `Every check passed (${(report.durationMs / 1000).toFixed(1)} s).`
          : 'Some checks failed. Fix the problems below and test again.'}
      </Notice>
      <Stack component="ul" gap="xs" m={0} p={0} style={{ listStyle: 'none' }} aria-label="Connection checks">
        {report.checks.map((check) => {
          const status = statusText[check.status]
          return (
            <Paper
              component="li"
              key={check.id}
              data-status={check.status}
              withBorder
              radius="sm"
              px="sm"
              py="xs"
            >
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <Box w={88} style={{ flex: 'none' }}>
                  <StatusBadge tone={status.tone}>
                    <span aria-hidden="true">{status.icon}</span> {status.word}
                  </StatusBadge>
                </Box>
                <div>
                  <strong>{check.label}</strong>: {check.message}
                  {check.hint && (
                    <Text size="sm" c="dimmed">
                      {check.hint}
                    </Text>
                  )}
                </div>
              </Group>
            </Paper>
          )
        })}
      </Stack>
    </Stack>
  )
}
