// A bordered section of a page (Mantine Paper) whose children stack with a gap: the settings sections, the
// detail's blocks, charts and the feed. `component` gives it its element (section, figure, aside).
import { Paper, Stack, type MantineSpacing, type StackProps } from '@mantine/core'
import type { ReactNode } from 'react'

export interface PanelProps {
  children: ReactNode
  component?: 'div' | 'section' | 'figure'
  gap?: MantineSpacing
  align?: StackProps['align']
  'aria-label'?: string
  'aria-labelledby'?: string
}

export function Panel({ children, component = 'div', gap = 'sm', align = 'stretch', ...aria }: PanelProps) {
  return (
    <Paper withBorder p="lg" m={0} component={component} {...aria}>
      <Stack gap={gap} align={align}>
        {children}
      </Stack>
    </Paper>
  )
}
