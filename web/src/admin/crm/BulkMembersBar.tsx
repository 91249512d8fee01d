// Shown while opportunities are selected in All Opportunities: pick a user, then add or remove them on all.
import { Button, Group, Paper, Text } from '@mantine/core'
import { useState } from 'react'

import type { MemberUser } from '../../../../contracts/api/members.api.js'
import { FormAlert } from '../../components/Field.js'
import { errorMessage } from '../../components/QueryState.js'
import { useBulkMembers } from '../../api/use-opportunities.js'
import { UserPicker } from './UserPicker.js'

export function BulkMembersBar({
  selected,
  onDone,
  onClear,
}: {
  selected: string[]
  onClear: () => void
  /** Called with a summary once the change is made; the caller clears the selection and shows it. */
  onDone: (message: string) => void
}) {
  const [user, setUser] = useState<MemberUser | null>(null)
  const bulk = useBulkMembers()

  const run = (action: 'add' | 'remove') => {
    if (!user) return
    bulk.mutate(
      { opportunityIds: selected, userId: user.id, action },
      {
        onSuccess: (result) => {
          const verb = action === 'add' ? 'Added' : 'Removed'
          const parts = [
            `${verb} ${user.name} on ${result.changed} opportunit${result.changed === 1 ? 'y' : 'ies'}`,
          ]
          if (result.unchanged)
            parts.push(`${result.unchanged} already ${action === 'add' ? 'had' : 'did not have'} them`)
          if (result.notFound.length) parts.push(`${result.notFound.length} no longer exist`)
          onDone(`${parts.join('; ')}.`)
        },
      },
    )
  }

  return (
    <Paper
      component="section"
      aria-label="Bulk membership"
      withBorder
      p="sm"
      bg="var(--mantine-primary-color-light)"
    >
      <Group gap="md" align="flex-end">
        <Text>
          <strong>{selected.length}</strong> selected{' '}
          <Button variant="subtle" size="xs" onClick={onClear}>
            Clear selection
          </Button>
        </Text>
        {user ? (
          <Text>
            User: <strong>{user.name}</strong>{' '}
            <Text span c="dimmed">
              {user.email}
            </Text>{' '}
            <Button variant="subtle" size="xs" onClick={() => setUser(null)}>
              Change
            </Button>
          </Text>
        ) : (
          <UserPicker label="User to add or remove" onPick={setUser} />
        )}
        <Group gap="xs">
          <Button disabled={!user || bulk.isPending || selected.length === 0} onClick={() => run('add')}>
            Add to selected
          </Button>
          <Button
            color="red"
            disabled={!user || bulk.isPending || selected.length === 0}
            onClick={() => run('remove')}
          >
            Remove from selected
          </Button>
        </Group>
      </Group>
      <FormAlert message={bulk.isError ? errorMessage(bulk.error) : null} />
    </Paper>
  )
}
