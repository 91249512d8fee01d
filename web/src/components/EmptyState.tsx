import { Paper, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Paper withBorder p="xl" ta="center" style={{ borderStyle: 'dashed' }}>
      <Title order={2}>{title}</Title>
      {children && (
        <Text component="div" c="dimmed" mt="xs">
          {children}
        </Text>
      )}
    </Paper>
  )
}
