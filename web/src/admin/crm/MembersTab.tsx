// Module Settings > Members: the "assign owners and team members automatically" setting, and a lookup that
// explains why a user can (or cannot) see an opportunity.
import { Button } from '@mantine/core'
import { useId, useState } from 'react'

import type { MemberUser } from '../../../../contracts/api/members.api.js'
import type { AdminOpportunityListItem } from '../../../../contracts/api/opportunities.api.js'
import { FormAlert } from '../../components/Field.js'
import { errorMessage, QueryError, Spinner } from '../../components/QueryState.js'
import { useDebouncedValue } from '../../components/use-debounced-value.js'
import '../../crm/crm.css'
import { formatDateTime } from '../../shared/format.js'
import {
  useAccessExplanation,
  useAllOpportunities,
  useAssignmentSettings,
  useUpdateAssignmentSettings,
} from '../../api/use-opportunities.js'
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
    <section className="panel" aria-labelledby="auto-assign-title">
      <h2 id="auto-assign-title">Automatic assignment</h2>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={requested ?? s.autoAssign}
          disabled={update.isPending}
          onChange={(event) => {
            setRequested(event.target.checked)
            setMessage(null)
            update.mutate(event.target.checked, {
              onSuccess: (r) =>
                setMessage(
                  `Saved. ${r.applied.added} assignment${r.applied.added === 1 ? '' : 's'} added, ${r.applied.removed} removed.`,
                ),
              onSettled: () => setRequested(null),
            })
          }}
        />
        Assign owners and team members automatically
      </label>
      <p className="muted small">
        Users whose email matches the Salesforce owner or an opportunity team member become members on every
        sync. Manual assignments are never removed; turning this off removes only the automatic ones.
      </p>
      {s.updatedBy && (
        <p className="muted small">
          Last changed by {s.updatedBy.name} on {formatDateTime(s.updatedAt)}.
        </p>
      )}
      <FormAlert message={update.isError ? errorMessage(update.error) : null} />
      <FormAlert tone="success" message={message} />
    </section>
  )
}

function OpportunityPicker({ onPick }: { onPick: (o: AdminOpportunityListItem) => void }) {
  const id = useId()
  const [text, setText] = useState('')
  const search = useDebouncedValue(text, 300)
  const list = useAllOpportunities({
    search: search.trim() || undefined,
    sort: 'name',
    direction: 'asc',
    limit: 8,
  })
  const items = search.trim() ? (list.data?.items ?? []) : []
  return (
    <div className="field crm-picker">
      <label htmlFor={id}>Opportunity</label>
      <input
        id={id}
        type="search"
        autoComplete="off"
        placeholder="Opportunity or account name"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      {items.length > 0 && (
        <ul className="crm-picker-list" aria-label="Opportunity results">
          {items.map((o) => (
            <li key={o.id}>
              <button
                type="button"
                onClick={() => {
                  onPick(o)
                  setText('')
                }}
              >
                <strong>{o.name}</strong> <span className="muted">{o.accountName}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
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
    <section className="panel" aria-labelledby="access-title">
      <h2 id="access-title">Why can this user see this opportunity?</h2>
      <div className="crm-lookup">
        {user ? (
          <p>
            User: <strong>{user.name}</strong>{' '}
            <Button variant="subtle" size="xs" onClick={() => setUser(null)}>
              Change
            </Button>
          </p>
        ) : (
          <UserPicker label="User" onPick={setUser} />
        )}
        {opportunity ? (
          <p>
            Opportunity: <strong>{opportunity.name}</strong>{' '}
            <Button variant="subtle" size="xs" onClick={() => setOpportunity(null)}>
              Change
            </Button>
          </p>
        ) : (
          <OpportunityPicker onPick={setOpportunity} />
        )}
      </div>
      {answer.isFetching && !answer.data && <Spinner label="Checking" />}
      {answer.isError && <QueryError error={answer.error} />}
      {answer.data && (
        <Notice tone={answer.data.canSee ? 'success' : 'warning'} role="status">
          <strong>{answer.data.explanation}</strong>
          {answer.data.reasons.length > 0 && (
            <ul>
              {answer.data.reasons.map((r) => (
                <li key={r}>{reasonLabels[r]}</li>
              ))}
            </ul>
          )}
          {answer.data.blockers.map((b) => (
            <span key={b}>{blockerLabels[b]}</span>
          ))}
          {answer.data.ruleWouldMatch.length > 0 && (
            <span>
              Their email matches the {answer.data.ruleWouldMatch.join(' and ')}, but automatic assignment is
              off.
            </span>
          )}
        </Notice>
      )}
    </section>
  )
}

export function MembersTab() {
  return (
    <div className="stack">
      <h2 className="visually-hidden">Members</h2>
      <AutoAssignSetting />
      <AccessLookup />
    </div>
  )
}
