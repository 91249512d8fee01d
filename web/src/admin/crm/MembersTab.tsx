// Module Settings > Members: the overview of people and their opportunities, the "assign owners and team members automatically" setting, a lookup that
// explains why a user can (or cannot) see an opportunity, and the CSV import of assignments.
import { Button, Group, List, Paper, Stack, Switch, Text, Title, VisuallyHidden } from '@mantine/core'
import { useState } from 'react'

import type { MemberUser } from '../../../../contracts/api/members.api.js'
import type { AdminOpportunityListItem } from '../../../../contracts/api/opportunities.api.js'
import { FormAlert } from '../../components/Field.js'
import { errorMessage, QueryError, Spinner } from '../../components/QueryState.js'
import { formatDateTime } from '../../shared/format.js'
import {
  useAccessExplanation,
  useAssignmentSettings,
  useUpdateAssignmentSettings,
} from '../../api/use-opportunities.js'
import { ImportAssignments } from './members/ImportAssignments.js'
import { MemberOverview } from './members/MemberOverview.js'
import { OpportunityPicker } from './members/OpportunityPicker.js'
import { UserPicker } from './UserPicker.js'
import { Notice } from '../../components/Notice.js'

function AutoAssignSetting() {
  const settings = useAssignmentSettings()
  const update = useUpdateAssignmentSettings()
  const [message, setMessage] = useState<string | null>(null)
  // The switch follows the click at once; the server's answer (or a refetch after an error) settles it.
  const [requested, setRequested] = useState<boolean | null>(null)
  if (settings.isPending) return <Spinner label="Loading the setting" />
  if (settings.isError) return <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
  const s = settings.data.settings
  return (
    <Paper component="section" withBorder p="md" aria-labelledby="auto-assign-title">
      <Stack gap="sm">
        <Title order={2} id="auto-assign-title">
          Automatic assignment
        </Title>
        <Switch
          checked={requested ?? s.autoAssign}
          disabled={update.isPending}
          label="Assign owners and team members automatically"
          description="Users whose email matches the Salesforce owner or an opportunity team member become members on every sync. Manual assignments are never removed; turning this off removes only the automatic ones."
          onChange={(event) => {
            const next = event.currentTarget.checked
            setRequested(next)
            setMessage(null)
            update.mutate(next, {
              onSuccess: (r) =>
                setMessage(
                  `Saved. ${r.applied.added} assignment${r.applied.added === 1 ? '' : 's'} added, ${r.applied.removed} removed.`,
                ),
              onSettled: () => setRequested(null),
            })
          }}
        />
        {s.updatedBy && (
          <Text c="dimmed" size="sm">
            Last changed by {s.updatedBy.name} on {formatDateTime(s.updatedAt)}.
          </Text>
        )}
        <FormAlert message={update.isError ? errorMessage(update.error) : null} />
        <FormAlert tone="success" message={message} />
      </Stack>
    </Paper>
  )
}

const reasonLabels = {
  admin: 'Admin (sees everything)',
  manual: 'Added by an admin',
  owner_rule: 'Automatic: Salesforce owner',
  team_rule: 'Automatic: opportunity team member',
} as const
const blockerLabels = {
  user_inactive: 'The user is deactivated',
  module_disabled: 'The CRM module is turned off',
  opportunity_deleted: 'The opportunity was deleted in Salesforce',
} as const

function AccessLookup() {
  const [user, setUser] = useState<MemberUser | null>(null)
  const [opportunity, setOpportunity] = useState<AdminOpportunityListItem | null>(null)
  const answer = useAccessExplanation(user?.id ?? null, opportunity?.id ?? null)
  return (
    <Paper component="section" withBorder p="md" aria-labelledby="access-title">
      <Stack gap="sm">
        <Title order={2} id="access-title">
          Why can this user see this opportunity?
        </Title>
        <Group align="flex-end" gap="md">
          {user ? (
            <Text>
              User: <strong>{user.name}</strong>{' '}
              <Button variant="subtle" size="xs" onClick={() => setUser(null)}>
                Change
              </Button>
            </Text>
          ) : (
            <UserPicker label="User" onPick={setUser} />
          )}
          {opportunity ? (
            <Text>
              Opportunity: <strong>{opportunity.name}</strong>{' '}
              <Button variant="subtle" size="xs" onClick={() => setOpportunity(null)}>
                Change
              </Button>
            </Text>
          ) : (
            <OpportunityPicker onPick={setOpportunity} />
          )}
        </Group>
        {answer.isFetching && !answer.data && <Spinner label="Checking" />}
        {answer.isError && <QueryError error={answer.error} />}
        {answer.data && (
          <Notice tone={answer.data.canSee ? 'success' : 'warning'} role="status">
            <strong>{answer.data.explanation}</strong>
            {answer.data.reasons.length > 0 && (
              <List size="sm" mt={4}>
                {answer.data.reasons.map((r) => (
                  <List.Item key={r}>{reasonLabels[r]}</List.Item>
                ))}
              </List>
            )}
            {answer.data.blockers.map((b) => (
              <span key={b}>{blockerLabels[b]}</span>
            ))}
            {answer.data.ruleWouldMatch.length > 0 && (
              <span>
                Their email matches the {answer.data.ruleWouldMatch.join(' and ')}, but automatic assignment
                is off.
              </span>
            )}
          </Notice>
        )}
      </Stack>
    </Paper>
  )
}

export function MembersTab() {
  return (
    <Stack gap="md">
      <VisuallyHidden component="h2">Members</VisuallyHidden>
      <MemberOverview />
      <AutoAssignSetting />
      <AccessLookup />
      <ImportAssignments />
    </Stack>
  )
}
