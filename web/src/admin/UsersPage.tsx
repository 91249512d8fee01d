import { Button, Group, Text, TextInput } from '@mantine/core'
import { IconSearch } from '@tabler/icons-react'
import { useState } from 'react'

import type { ApiUser, OneTimeLink } from '../../../contracts/api/users.api.js'
import { useSession } from '../api/use-session.js'
import { useUsers } from '../api/use-users.js'
import { FormAlert } from '../components/Field.js'
import { PageHeader } from '../components/PageHeader.js'
import { QueryError, Spinner } from '../components/QueryState.js'
import { useDebouncedValue } from '../components/use-debounced-value.js'
import { OneTimeLinkDialog } from './OneTimeLinkDialog.js'
import { ResetLinkDialog } from './ResetLinkDialog.js'
import { UserFormDialog } from './UserFormDialog.js'
import { UsersTable, type UserAction } from './UsersTable.js'
import { UserStatusDialog } from './UserStatusDialog.js'

type OpenDialog =
  | { kind: 'create' }
  | { kind: UserAction; user: ApiUser }
  | { kind: 'link'; user: ApiUser; link: OneTimeLink }

export function UsersPage() {
  const [search, setSearch] = useState('')
  const users = useUsers(useDebouncedValue(search))
  const currentUserId = useSession().data?.user?.id
  const [dialog, setDialog] = useState<OpenDialog | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const close = () => setDialog(null)

  const done = (message: string) => {
    setNotice(message)
    close()
  }

  return (
    <>
      <PageHeader
        title="Users"
        description="People who can sign in to this workspace."
        actions={<Button onClick={() => setDialog({ kind: 'create' })}>Add user</Button>}
      />
      <Group mb="sm" gap="sm">
        <TextInput
          type="search"
          aria-label="Search users"
          placeholder="Search by name or email"
          leftSection={<IconSearch size={16} aria-hidden="true" />}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          w={{ base: '100%', xs: 320 }}
        />
        {users.isFetching && !users.isPending && (
          <Text c="dimmed" size="sm">
            Updating…
          </Text>
        )}
      </Group>
      <FormAlert message={notice} tone="success" />
      {users.isPending ? (
        <Spinner label="Loading users" />
      ) : users.isError ? (
        <QueryError error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <UsersTable
          users={users.data.users}
          currentUserId={currentUserId}
          isFiltered={search.trim() !== ''}
          onAction={(kind, user) => {
            setNotice(null)
            setDialog({ kind, user })
          }}
        />
      )}

      {dialog?.kind === 'create' && (
        <UserFormDialog
          onClose={close}
          onSaved={(user, link) =>
            link
              ? setDialog({ kind: 'link', user, link })
              : done(`${user.name} was added. They can sign in now.`)
          }
        />
      )}
      {dialog?.kind === 'edit' && (
        <UserFormDialog
          user={dialog.user}
          onClose={close}
          onSaved={(user) => done(`${user.name} was updated.`)}
        />
      )}
      {dialog?.kind === 'status' && <UserStatusDialog user={dialog.user} onClose={close} onDone={done} />}
      {dialog?.kind === 'reset' && (
        <ResetLinkDialog
          user={dialog.user}
          onClose={close}
          onIssued={(link) => setDialog({ ...dialog, kind: 'link', link })}
        />
      )}
      {dialog?.kind === 'link' && <OneTimeLinkDialog user={dialog.user} link={dialog.link} onClose={close} />}
    </>
  )
}
