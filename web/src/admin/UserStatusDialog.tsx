import { Button, Text } from '@mantine/core'
import type { ApiUser } from '../../../contracts/api/users.api.js'
import { useUpdateUser } from '../api/use-users.js'
import { Dialog, DialogActions } from '../components/Dialog.js'
import { FormAlert } from '../components/Field.js'

/** Confirms deactivating (which signs the user out everywhere at once) or reactivating a user. */
export function UserStatusDialog({
  user,
  onClose,
  onDone,
}: {
  user: ApiUser
  onClose: () => void
  onDone: (message: string) => void
}) {
  const update = useUpdateUser()
  const deactivate = user.isActive
  const confirm = () =>
    update.mutate(
      { params: { id: user.id }, body: { isActive: !deactivate } },
      {
        onSuccess: () =>
          onDone(deactivate ? `${user.name} was deactivated.` : `${user.name} was reactivated.`),
      },
    )
  return (
    <Dialog title={deactivate ? `Deactivate ${user.name}?` : `Reactivate ${user.name}?`} onClose={onClose}>
      <Text>
        {deactivate
          ? 'They are signed out at once and can no longer sign in. Their account and history are kept, and you can reactivate them later.'
          : 'They can sign in again with their existing password.'}
      </Text>
      <FormAlert message={update.isError ? update.error.message : null} />
      <DialogActions>
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color={deactivate ? 'red' : 'indigo'} disabled={update.isPending} onClick={confirm}>
          {update.isPending ? 'Saving…' : deactivate ? 'Deactivate' : 'Reactivate'}
        </Button>
      </DialogActions>
    </Dialog>
  )
}
