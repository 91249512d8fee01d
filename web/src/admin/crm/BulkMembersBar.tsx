// Shown while opportunities are selected in All Opportunities: pick a user, then add or remove them on the
// selected rows, or on every match of the filters after a confirmation that states the count (the server
// refuses with SELECTION_CHANGED, writing nothing, when the filters match another count by then).
import { Button, Group, Paper, Text } from '@mantine/core'
import { useState } from 'react'

import type { MemberUser } from '../../../../contracts/api/members.api.js'
import type { OpportunityFilters } from '../../../../contracts/api/opportunities.api.js'
import { isApiError } from '../../api/client.js'
import { useBulkMembers, useBulkMembersByFilter } from '../../api/use-opportunities.js'
import { Dialog, DialogActions } from '../../components/Dialog.js'
import { FormAlert } from '../../components/Field.js'
import { errorMessage } from '../../components/QueryState.js'
import { formatNumber } from '../../shared/format.js'
import { bulkResultSentence, confirmQuestion, selectionCount, type BulkSelection } from './bulk-selection.js'
import { UserPicker } from './UserPicker.js'

export function BulkMembersBar({
  selection,
  filters,
  onDone,
  onClear,
}: {
  selection: BulkSelection
  /** The filters "all matching" means. */
  filters: OpportunityFilters
  onClear: () => void
  /** Called with a summary once the change is made; the caller clears the selection and shows it. */
  onDone: (message: string) => void
}) {
  const [user, setUser] = useState<MemberUser | null>(null)
  const [confirming, setConfirming] = useState<'add' | 'remove' | null>(null)
  const bulk = useBulkMembers()
  const byFilter = useBulkMembersByFilter()
  const count = selectionCount(selection)
  const busy = bulk.isPending || byFilter.isPending
  const failure = bulk.error ?? byFilter.error

  const run = (action: 'add' | 'remove') => {
    if (!user) return
    if (selection.kind === 'matching') return setConfirming(action)
    bulk.mutate(
      { opportunityIds: [...selection.ids], userId: user.id, action },
      { onSuccess: (result) => onDone(bulkResultSentence(action, user.name, result)) },
    )
  }
  const runMatching = (action: 'add' | 'remove') => {
    if (!user) return
    byFilter.mutate(
      { filters, expectedCount: count, userId: user.id, action },
      {
        onSuccess: (result) => onDone(bulkResultSentence(action, user.name, result)),
        onSettled: () => setConfirming(null),
      },
    )
  }
  const scope = selection.kind === 'matching' ? `all ${formatNumber(count)}` : 'selected'

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
          <strong>{formatNumber(count)}</strong>{' '}
          {selection.kind === 'matching' ? 'matching this filter, all selected' : 'selected'}{' '}
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
          <Button disabled={!user || busy || count === 0} onClick={() => run('add')}>
            Add to {scope}
          </Button>
          <Button color="red" disabled={!user || busy || count === 0} onClick={() => run('remove')}>
            Remove from {scope}
          </Button>
        </Group>
      </Group>
      <FormAlert
        message={
          isApiError(failure, 'SELECTION_CHANGED')
            ? `${failure.message} The count above is up to date again.`
            : failure
              ? errorMessage(failure)
              : null
        }
      />
      {confirming && user && (
        <Dialog
          title={confirming === 'add' ? 'Add to every match' : 'Remove from every match'}
          onClose={() => setConfirming(null)}
        >
          <Text>{confirmQuestion(confirming, user.name, count)}</Text>
          <Text size="sm" c="dimmed" mt="xs">
            {confirming === 'add'
              ? 'Each becomes a manual assignment. '
              : 'Only manual assignments are removed; automatic ones stay. '}
            If the filter matches a different number by then, nothing is changed.
          </Text>
          <DialogActions>
            <Button variant="default" onClick={() => setConfirming(null)}>
              Cancel
            </Button>
            <Button
              {...(confirming === 'remove' ? { color: 'red' } : {})}
              disabled={busy}
              onClick={() => runMatching(confirming)}
            >
              {confirming === 'add' ? 'Add' : 'Remove'} on {formatNumber(count)}
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </Paper>
  )
}
