// Previous / next over keyset pages: the stack of cursors we came through, so "Previous" needs no OFFSET.
import { Button, Group, Text } from '@mantine/core'
import { useState } from 'react'

export function useCursorStack(resetKey: string) {
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: resetKey,
    cursors: [undefined],
  })
  // New filters or sort: back to the first page (a cursor from another sort is refused anyway).
  const cursors = state.key === resetKey ? state.cursors : [undefined]
  const page = cursors.length
  return {
    cursor: cursors[cursors.length - 1],
    page,
    next: (nextCursor: string) => setState({ key: resetKey, cursors: [...cursors, nextCursor] }),
    previous: () => setState({ key: resetKey, cursors: cursors.slice(0, -1) }),
  }
}

export function Pager({
  page,
  hasNext,
  onNext,
  onPrevious,
  busy,
}: {
  page: number
  hasNext: boolean
  onNext: () => void
  onPrevious: () => void
  busy?: boolean
}) {
  return (
    <Group component="nav" aria-label="Pages" justify="flex-end" gap="sm">
      <Button variant="default" size="xs" disabled={page <= 1 || busy === true} onClick={onPrevious}>
        Previous
      </Button>
      <Text span c="dimmed" size="sm">
        Page {page}
      </Text>
      <Button variant="default" size="xs" disabled={!hasNext || busy === true} onClick={onNext}>
        Next
      </Button>
    </Group>
  )
}
