// Create a user, or edit one's name, email and role. Field errors come from the same zod schema the
// server uses (checked before sending) and from the server's `error.fields` (a duplicate email, say).
import { Button, Stack } from '@mantine/core'
import { useState, type FormEvent } from 'react'

import type { Role } from '../../../contracts/api/auth.api.js'
import { createUser, type ApiUser, type OneTimeLink } from '../../../contracts/api/users.api.js'
import { validateBody } from '../api/client.js'
import { useCreateUser, useUpdateUser } from '../api/use-users.js'
import { Dialog, DialogActions } from '../components/Dialog.js'
import { formErrors } from '../components/form-errors.js'
import { FormAlert, SelectField, TextField } from '../components/Field.js'

interface UserFormDialogProps {
  /** The user to edit; absent to create one. */
  user?: ApiUser
  onClose: () => void
  onSaved: (user: ApiUser, passwordLink: OneTimeLink | null) => void
}

export function UserFormDialog({ user, onClose, onSaved }: UserFormDialogProps) {
  const create = useCreateUser()
  const update = useUpdateUser()
  const mutation = user ? update : create
  const [name, setName] = useState(user?.name ?? '')
  const [email, setEmail] = useState(user?.email ?? '')
  const [role, setRole] = useState<Role>(user?.role ?? 'member')
  const [password, setPassword] = useState('')
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({})

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const body = { name, email, role, ...(password ? { password } : {}) }
    const errors = validateBody(createUser, body)
    setClientErrors(errors)
    if (Object.keys(errors).length > 0) return
    if (!user) {
      create.mutate({ body }, { onSuccess: (result) => onSaved(result.user, result.passwordLink) })
      return
    }
    // PATCH only what changed; the server refuses an empty change.
    const changes = {
      ...(name.trim() !== user.name ? { name } : {}),
      ...(email.trim().toLowerCase() !== user.email ? { email } : {}),
      ...(role !== user.role ? { role } : {}),
    }
    if (Object.keys(changes).length === 0) return onClose()
    update.mutate(
      { params: { id: user.id }, body: changes },
      { onSuccess: (result) => onSaved(result.user, null) },
    )
  }

  const { fields: errors, message: formMessage } = formErrors(mutation.error, clientErrors)

  return (
    <Dialog
      title={user ? `Edit ${user.name}` : 'Add user'}
      onClose={onClose}
      description={user ? undefined : 'The new user can sign in with their email address.'}
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={formMessage} />
          <TextField
            label="Name"
            name="name"
            autoComplete="off"
            required
            error={errors['name']}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <TextField
            label="Email"
            type="email"
            name="email"
            autoComplete="off"
            required
            error={errors['email']}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
          <SelectField
            label="Role"
            name="role"
            error={errors['role']}
            hint="Admins manage users and modules. Members use the User Portal."
            value={role}
            onChange={(event) => setRole(event.target.value === 'admin' ? 'admin' : 'member')}
          >
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </SelectField>
          {!user && (
            <TextField
              label="Password (optional)"
              type="password"
              name="new-password"
              autoComplete="new-password"
              hint="Leave blank to get a one-time link the user opens to choose their own password."
              error={errors['password']}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          )}
          <DialogActions>
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={mutation.isPending}>
              {mutation.isPending ? 'Saving…' : user ? 'Save changes' : 'Add user'}
            </Button>
          </DialogActions>
        </Stack>
      </form>
    </Dialog>
  )
}
