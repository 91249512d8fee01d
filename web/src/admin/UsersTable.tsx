import { Button } from '@mantine/core'
import type { ApiUser } from '../../../contracts/api/users.api.js'
import { EmptyState } from '../components/EmptyState.js'
import { formatDateTime } from '../shared/format.js'
import { StatusBadge } from '../components/StatusBadge.js'

export type UserAction = 'edit' | 'status' | 'reset'

interface UsersTableProps {
  users: ApiUser[]
  currentUserId: string | undefined
  isFiltered: boolean
  onAction: (action: UserAction, user: ApiUser) => void
}

export function UsersTable({ users, currentUserId, isFiltered, onAction }: UsersTableProps) {
  if (users.length === 0) {
    return (
      <EmptyState title={isFiltered ? 'No matching users' : 'No users yet'}>
        {isFiltered ? 'Try another name or email.' : 'Add the people who should use this workspace.'}
      </EmptyState>
    )
  }
  return (
    <div className="table-wrap">
      <table className="table table-cards">
        <caption className="visually-hidden">Workspace users</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Last login</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} className={user.isActive ? undefined : 'row-inactive'}>
              <th scope="row" data-label="Name">
                {user.name}
                {user.id === currentUserId && <span className="muted"> (you)</span>}
              </th>
              <td data-label="Email" className="cell-email">
                {user.email}
              </td>
              <td data-label="Role">{user.role === 'admin' ? 'Admin' : 'Member'}</td>
              <td data-label="Status">
                <StatusBadge tone={user.isActive ? 'success' : 'neutral'}>
                  {user.isActive ? 'Active' : 'Deactivated'}
                </StatusBadge>
              </td>
              <td data-label="Last login">{formatDateTime(user.lastLoginAt, 'Never')}</td>
              <td className="cell-actions">
                <div className="row-actions">
                  <Button variant="default" size="xs" onClick={() => onAction('edit', user)}>
                    Edit<span className="visually-hidden"> {user.name}</span>
                  </Button>
                  <Button variant="default" size="xs" onClick={() => onAction('reset', user)}>
                    Reset password<span className="visually-hidden"> for {user.name}</span>
                  </Button>
                  {user.id !== currentUserId && (
                    <Button
                      variant={user.isActive ? 'light' : 'default'}
                      color={user.isActive ? 'red' : 'gray'}
                      size="xs"
                      onClick={() => onAction('status', user)}
                    >
                      {user.isActive ? 'Deactivate' : 'Reactivate'}
                      <span className="visually-hidden"> {user.name}</span>
                    </Button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
