import { Button, Text } from '@mantine/core'
import type { ApiUser, OneTimeLink } from '../../../contracts/api/users.api.js'
import { useIssueResetLink } from '../api/use-users.js'
import { Dialog, DialogActions } from '../components/Dialog.js'
import { FormAlert } from '../components/Field.js'

export function ResetLinkDialog({
  user,
  onClose,
  onIssued,
}: {
  user: ApiUser
  onClose: () => void
  onIssued: (link: OneTimeLink) => void
}) {
  const issue = useIssueResetLink()
  return (
    <Dialog title={`Reset password for ${user.name}?`} onClose={onClose}>
      <Text>
        This creates a one-time link that lets {user.name} choose a new password. Any link issued before stops
        working. Their current password keeps working until they use the link.
      </Text>
      <FormAlert message={issue.isError ? issue.error.message : null} />
      <DialogActions>
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          disabled={issue.isPending}
          onClick={() => issue.mutate({ params: { id: user.id } }, { onSuccess: onIssued })}
        >
          {issue.isPending ? 'Creating…' : 'Create reset link'}
        </Button>
      </DialogActions>
    </Dialog>
  )
}
