// A person's initials in a colour picked from their name (the same person always gets the same colour).
// Shade 9 filled with white text, so every colour in the list keeps AA contrast; Mantine's own
// color="initials" can pick lime or yellow, whose light tint fails it.
import { Avatar, type MantineSize } from '@mantine/core'

const palette = ['indigo', 'blue', 'cyan', 'teal', 'green', 'violet', 'grape', 'pink', 'red', 'orange']

function colorFor(name: string): string {
  let hash = 0
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return `${palette[hash % palette.length] ?? 'indigo'}.9`
}

export function PersonAvatar({ name, size = 'sm' }: { name: string; size?: MantineSize | number }) {
  return <Avatar name={name} color={colorFor(name)} variant="filled" size={size} alt="" aria-hidden="true" />
}
