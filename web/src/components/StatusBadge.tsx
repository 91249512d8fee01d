// A short status word in one of the theme's tones (Mantine Badge, light variant). The theme's shades keep
// the text at AA contrast on its tint in both colour schemes (theme/theme.ts).
import { Badge } from '@mantine/core'
import type { ReactNode } from 'react'

import { toneColor, type Tone } from '../theme/theme.js'

export function StatusBadge({
  tone = 'neutral',
  icon,
  children,
}: {
  tone?: Tone
  /** A decorative icon before the word (aria-hidden), so the status is not told by colour alone. */
  icon?: ReactNode
  children: ReactNode
}) {
  return (
    <Badge
      color={toneColor[tone]}
      variant="light"
      size="sm"
      radius="sm"
      leftSection={icon}
      style={{ flexShrink: 0 }}
    >
      {children}
    </Badge>
  )
}
