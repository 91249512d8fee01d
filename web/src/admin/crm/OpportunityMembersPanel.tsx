// The Members tab of an opportunity's admin page: who is assigned and why, add by type-ahead, remove,
// suggestions (users whose email matches the Salesforce owner or a team member) accepted in one click, and the
// deal's own rules for posting and adding people.
import { Button, Group, Paper, Stack, Text, Title, VisuallyHidden } from '@mantine/core'
import { createColumnHelper } from '@tanstack/react-table'

import type { OpportunityMember } from '../../../../contracts/api/members.api.js'
import { DataTable, type DataColumn } from '../../components/DataTable.js'
import { FormAlert } from '../../components/Field.js'
import { PersonAvatar } from '../../components/PersonAvatar.js'
import { errorMessage, QueryError, Spinner } from '../../components/QueryState.js'
import { formatDateTime } from '../../shared/format.js'
import {
  useAcceptSuggestions,
  useAddMember,
  useMemberSuggestions,
  useRemoveMember,
} from '../../api/use-opportunities.js'
import { DealRulesPanel } from './DealRulesPanel.js'
import { UserPicker } from './UserPicker.js'
import { StatusBadge } from '../../components/StatusBadge.js'

function Why({ member }: { member: OpportunityMember }) {
  return (
    <Stack gap={4} align="flex-start">
      {member.isManual && (
        <Group gap={6} wrap="nowrap">
          <StatusBadge tone="info">Manual</StatusBadge>
          <Text span c="dimmed" size="sm">
            added{member.manualAddedBy ? ` by ${member.manualAddedBy.name}` : ''}
            {member.manualAddedAt ? ` on ${formatDateTime(member.manualAddedAt)}` : ''}
          </Text>
        </Group>
      )}
      {member.viaOwnerRule && <StatusBadge>Automatic: owner</StatusBadge>}
      {member.viaTeamRule && <StatusBadge>Automatic: team member</StatusBadge>}
    </Stack>
  )
}

const column = createColumnHelper<OpportunityMember>()

function memberColumns(onRemove: (userId: string) => void, busy: boolean): DataColumn<OpportunityMember>[] {
  return [
    column.accessor((m) => m.user.name, {
      id: 'name',
      header: 'Member',
      meta: { rowHeader: true },
      cell: ({ row: { original: m } }) => (
        <Group gap="xs" wrap="nowrap">
          <PersonAvatar name={m.user.name} size={26} />
          <span>{m.user.name}</span>
          {!m.user.isActive && <StatusBadge>Inactive</StatusBadge>}
        </Group>
      ),
    }),
    column.accessor((m) => m.user.email, { id: 'email', header: 'Email' }),
    column.display({
      id: 'why',
      header: 'Why they have access',
      cell: (info) => <Why member={info.row.original} />,
    }),
    column.display({
      id: 'actions',
      header: () => <VisuallyHidden>Actions</VisuallyHidden>,
      cell: ({ row: { original: m } }) =>
        m.isManual ? (
          <Button color="red" size="xs" disabled={busy} onClick={() => onRemove(m.user.id)}>
            Remove<VisuallyHidden> {m.user.name}</VisuallyHidden>
          </Button>
        ) : (
          <Text span c="dimmed" size="sm">
            Follows Salesforce
          </Text>
        ),
    }),
  ] as DataColumn<OpportunityMember>[]
}

export function OpportunityMembersPanel({ id, members }: { id: string; members: OpportunityMember[] }) {
  const add = useAddMember(id)
  const remove = useRemoveMember(id)
  const suggestions = useMemberSuggestions(id)
  const accept = useAcceptSuggestions(id)
  const error = add.error ?? remove.error ?? accept.error

  return (
    <Stack gap="md">
      <UserPicker label="Add a member" opportunityId={id} onPick={(user) => add.mutate(user.id)} />
      <FormAlert message={error ? errorMessage(error) : null} />
      {members.length === 0 ? (
        <Text c="dimmed">No one is assigned yet. Add a member above or accept a suggestion.</Text>
      ) : (
        <DataTable
          rows={members}
          columns={memberColumns((userId) => remove.mutate(userId), remove.isPending)}
          rowId={(m) => m.user.id}
          label="Members"
          dimmed={(m) => !m.user.isActive}
        />
      )}
      <Paper component="section" withBorder p="md" aria-labelledby="crm-suggestions-title">
        <Group justify="space-between" mb={4}>
          <Title order={3} id="crm-suggestions-title" size="h4">
            Suggestions
          </Title>
          {(suggestions.data?.suggestions.length ?? 0) > 1 && (
            <Button
              variant="default"
              size="xs"
              disabled={accept.isPending}
              onClick={() => accept.mutate(undefined)}
            >
              Accept all
            </Button>
          )}
        </Group>
        <Text c="dimmed" size="sm" mb="sm">
          Users whose email matches the Salesforce owner or an opportunity team member.
        </Text>
        {suggestions.isPending ? (
          <Spinner label="Looking for suggestions" />
        ) : suggestions.isError ? (
          <QueryError error={suggestions.error} onRetry={() => void suggestions.refetch()} />
        ) : suggestions.data.suggestions.length === 0 ? (
          <Text c="dimmed">No suggestions right now.</Text>
        ) : (
          <Stack component="ul" gap="xs" m={0} p={0} style={{ listStyle: 'none' }}>
            {suggestions.data.suggestions.map((s) => (
              <Paper component="li" key={s.user.id} withBorder px="sm" py="xs">
                <Group justify="space-between" wrap="nowrap" gap="sm">
                  <Group gap={6}>
                    <PersonAvatar name={s.user.name} size={24} />
                    <Text span fw={600} size="sm">
                      {s.user.name}
                    </Text>
                    <Text span c="dimmed" size="sm">
                      {s.user.email}
                    </Text>
                    {s.reasons.map((r) => (
                      <StatusBadge key={r}>
                        {r === 'owner'
                          ? 'Owner'
                          : `Team${s.teamRoles.length ? `: ${s.teamRoles.join(', ')}` : ''}`}
                      </StatusBadge>
                    ))}
                  </Group>
                  {s.isAutomaticMember ? (
                    <Text span c="dimmed" size="sm">
                      Already added automatically
                    </Text>
                  ) : (
                    <Button size="xs" disabled={accept.isPending} onClick={() => accept.mutate([s.user.id])}>
                      Add<VisuallyHidden> {s.user.name}</VisuallyHidden>
                    </Button>
                  )}
                </Group>
              </Paper>
            ))}
          </Stack>
        )}
      </Paper>
      <DealRulesPanel opportunityId={id} />
    </Stack>
  )
}
