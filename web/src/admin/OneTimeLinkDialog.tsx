import { Button, Group, Stack, Text, TextInput } from '@mantine/core'
import { useId } from 'react'

import type { ApiUser, OneTimeLink } from '../../../contracts/api/users.api.js'
import { CopyButton } from '../components/CopyButton.js'
import { Dialog, DialogActions } from '../components/Dialog.js'
import { formatDateTime } from '../shared/format.js'
import { Notice } from '../components/Notice.js'

/** Shows a set-password link once: the server keeps only its hash, so it cannot be shown again. */
export function OneTimeLinkDialog({
  user,
  link,
  onClose,
}: {
  user: ApiUser
  link: OneTimeLink
  onClose: () => void
}) {
  const inputId = useId()
  return (
    <Dialog title="Share this link" onClose={onClose}>
      <Stack gap="md">
        <Text>
          Send this link to <strong>{user.name}</strong> ({user.email}) so they can set their password. It
          works once and expires {formatDateTime(link.expiresAt, 'Never')}.
        </Text>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <TextInput
            id={inputId}
            label="Password link"
            readOnly
            value={link.url}
            onFocus={(event) => event.target.select()}
            ff="monospace"
            style={{ flex: 1 }}
          />
          <CopyButton text={link.url} targetId={inputId} />
        </Group>
        <Notice tone="warning">This link is shown only now. Copy it before closing this dialog.</Notice>
      </Stack>
      <DialogActions>
        <Button onClick={onClose}>Done</Button>
      </DialogActions>
    </Dialog>
  )
}
