// The Members tab of an opportunity's admin page: who is assigned and why, add by type-ahead, remove,
// and suggestions (users whose email matches the Salesforce owner or a team member) accepted in one click.
import { Button } from '@mantine/core'
import type { OpportunityMember } from '../../../../contracts/api/members.api.js'
import { FormAlert } from '../../components/Field.js'
import { errorMessage, QueryError, Spinner } from '../../components/QueryState.js'
import { formatDateTime } from '../../shared/format.js'
import {
  useAcceptSuggestions,
  useAddMember,
  useMemberSuggestions,
  useRemoveMember,
} from '../../api/use-opportunities.js'
import { UserPicker } from './UserPicker.js'
import { StatusBadge } from '../../components/StatusBadge.js'

function Why({ member }: { member: OpportunityMember }) {
  return (
    <ul className="crm-why">
      {member.isManual && (
        <li>
          <StatusBadge tone="info">Manual</StatusBadge>{' '}
          <span className="muted small">
            added{member.manualAddedBy ? ` by ${member.manualAddedBy.name}` : ''}
            {member.manualAddedAt ? ` on ${formatDateTime(member.manualAddedAt)}` : ''}
          </span>
        </li>
      )}
      {member.viaOwnerRule && (
        <li>
          <StatusBadge>Automatic: owner</StatusBadge>
        </li>
      )}
      {member.viaTeamRule && (
        <li>
          <StatusBadge>Automatic: team member</StatusBadge>
        </li>
      )}
    </ul>
  )
}

export function OpportunityMembersPanel({ id, members }: { id: string; members: OpportunityMember[] }) {
  const add = useAddMember(id)
  const remove = useRemoveMember(id)
  const suggestions = useMemberSuggestions(id)
  const accept = useAcceptSuggestions(id)
  const error = add.error ?? remove.error ?? accept.error

  return (
    <div className="stack">
      <div className="crm-members-add">
        <UserPicker label="Add a member" opportunityId={id} onPick={(user) => add.mutate(user.id)} />
      </div>
      <FormAlert message={error ? errorMessage(error) : null} />
      {members.length === 0 ? (
        <p className="muted">No one is assigned yet. Add a member above or accept a suggestion.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-cards" aria-label="Members">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Email</th>
                <th scope="col">Why they have access</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.user.id} className={member.user.isActive ? undefined : 'row-inactive'}>
                  <th scope="row">
                    {member.user.name} {!member.user.isActive && <StatusBadge>Inactive</StatusBadge>}
                  </th>
                  <td data-label="Email" className="cell-email">
                    {member.user.email}
                  </td>
                  <td data-label="Why">
                    <Why member={member} />
                  </td>
                  <td>
                    <div className="row-actions">
                      {member.isManual ? (
                        <Button
                          color="red"
                          size="xs"
                          disabled={remove.isPending}
                          onClick={() => remove.mutate(member.user.id)}
                        >
                          Remove<span className="visually-hidden"> {member.user.name}</span>
                        </Button>
                      ) : (
                        <span className="muted small">Follows Salesforce</span>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="panel crm-suggestions" aria-labelledby="crm-suggestions-title">
        <div className="card-header">
          <h3 id="crm-suggestions-title">Suggestions</h3>
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
        </div>
        <p className="muted small">
          Users whose email matches the Salesforce owner or an opportunity team member.
        </p>
        {suggestions.isPending ? (
          <Spinner label="Looking for suggestions" />
        ) : suggestions.isError ? (
          <QueryError error={suggestions.error} onRetry={() => void suggestions.refetch()} />
        ) : suggestions.data.suggestions.length === 0 ? (
          <p className="muted">No suggestions right now.</p>
        ) : (
          <ul className="crm-suggestion-list">
            {suggestions.data.suggestions.map((s) => (
              <li key={s.user.id}>
                <span>
                  <strong>{s.user.name}</strong> <span className="muted">{s.user.email}</span>{' '}
                  {s.reasons.map((r) => (
                    <StatusBadge key={r}>
                      {r === 'owner'
                        ? 'Owner'
                        : `Team${s.teamRoles.length ? `: ${s.teamRoles.join(', ')}` : ''}`}
                    </StatusBadge>
                  ))}
                  {s.isAutomaticMember && <span className="muted small"> already automatic</span>}
                </span>
                <Button size="xs" disabled={accept.isPending} onClick={() => accept.mutate([s.user.id])}>
                  Add<span className="visually-hidden"> {s.user.name}</span>
                </Button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}
