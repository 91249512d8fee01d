// One figure of a stat grid (a <dl>): its label, dimmed, above its value.
import { Text } from '@mantine/core'

export function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" fw={600} m={0}>
        {value}
      </Text>
    </div>
  )
}
