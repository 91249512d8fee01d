// The workspace's users: one compact row each (avatar, name, email, role, status, last login, actions),
// TanStack columns drawn by the shared DataTable.
import { Button, Group, Text, VisuallyHidden } from '@mantine/core'
import { createColumnHelper } from '@tanstack/react-table'

import type { ApiUser } from '../../../contracts/api/users.api.js'
import { DataTable, type DataColumn } from '../components/DataTable.js'
import { EmptyState } from '../components/EmptyState.js'
import { PersonAvatar } from '../components/PersonAvatar.js'
import { StatusBadge } from '../components/StatusBadge.js'
import { formatDateTime } from '../shared/format.js'

export type UserAction = 'edit' | 'status' | 'reset'

interface UsersTableProps {
  users: ApiUser[]
  currentUserId: string | undefined
  isFiltered: boolean
  onAction: (action: UserAction, user: ApiUser) => void
}

const column = createColumnHelper<ApiUser>()

function columnsFor(
  currentUserId: string | undefined,
  onAction: UsersTableProps['onAction'],
): DataColumn<ApiUser>[] {
  return [
    column.accessor('name', {
      header: 'Name',
      meta: { rowHeader: true },
      cell: (info) => (
        <Group gap="xs" wrap="nowrap">
          <PersonAvatar name={info.row.original.name} size={26} />
          <span>{info.row.original.name}</span>
          {info.row.original.id === currentUserId && (
            <Text span c="dimmed" size="sm">
              (you)
            </Text>
          )}
        </Group>
      ),
    }),
    column.accessor('email', { header: 'Email' }),
    column.accessor('role', {
      header: 'Role',
      cell: (info) => (info.getValue() === 'admin' ? 'Admin' : 'Member'),
    }),
    column.accessor('isActive', {
      header: 'Status',
      cell: (info) => (
        <StatusBadge tone={info.getValue() ? 'success' : 'neutral'}>
          {info.getValue() ? 'Active' : 'Deactivated'}
        </StatusBadge>
      ),
    }),
    column.accessor('lastLoginAt', {
      header: 'Last login',
      cell: (info) => formatDateTime(info.row.original.lastLoginAt, 'Never'),
    }),
    column.display({
      id: 'actions',
      header: () => <VisuallyHidden>Actions</VisuallyHidden>,
      cell: ({ row: { original: user } }) => (
        <Group gap={6} wrap="nowrap" justify="flex-end">
          <Button variant="default" size="xs" onClick={() => onAction('edit', user)}>
            Edit<VisuallyHidden> {user.name}</VisuallyHidden>
          </Button>
          <Button variant="default" size="xs" onClick={() => onAction('reset', user)}>
            Reset password<VisuallyHidden> for {user.name}</VisuallyHidden>
          </Button>
          {user.id !== currentUserId && (
            <Button
              variant={user.isActive ? 'light' : 'default'}
              color={user.isActive ? 'red' : 'gray'}
              size="xs"
              onClick={() => onAction('status', user)}
            >
              {user.isActive ? 'Deactivate' : 'Reactivate'}
              <VisuallyHidden> {user.name}</VisuallyHidden>
            </Button>
          )}
        </Group>
      ),
    }),
  ] as DataColumn<ApiUser>[]
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
    <DataTable
      rows={users}
      columns={columnsFor(currentUserId, onAction)}
      rowId={(user) => user.id}
      label="Workspace users"
      dimmed={(user) => !user.isActive}
      minWidth={760}
    />
  )
}
