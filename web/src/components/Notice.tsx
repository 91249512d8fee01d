// An inline message in one of the theme's tones (Mantine Alert). Unlike Mantine's default it is not an
// ARIA alert unless asked: most notices are static text, and live ones pass role="status" or "alert".
import { Alert } from '@mantine/core'
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle, IconX } from '@tabler/icons-react'
import type { ReactNode } from 'react'

import { toneColor } from '../theme/theme.js'

type NoticeTone = 'info' | 'success' | 'warning' | 'error'

const icons = { info: IconInfoCircle, success: IconCircleCheck, warning: IconAlertTriangle, error: IconX }
const colors = {
  info: toneColor.info,
  success: toneColor.success,
  warning: toneColor.warning,
  error: toneColor.danger,
}

export function Notice({
  tone = 'info',
  title,
  role = 'note',
  children,
}: {
  tone?: NoticeTone
  title?: ReactNode
  role?: 'note' | 'status' | 'alert'
  children?: ReactNode
}) {
  const Icon = icons[tone]
  return (
    <Alert
      color={colors[tone]}
      variant="light"
      role={role}
      title={title}
      icon={<Icon size={18} aria-hidden="true" />}
      p="sm"
      styles={{ title: { marginBottom: children ? 4 : 0 } }}
    >
      {children}
    </Alert>
  )
}
