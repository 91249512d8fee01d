import { TextField } from '../components/Field.js'

export interface NewPassword {
  password: string
  confirm: string
}

/** Password and confirmation; the rule text matches PasswordSchema in contracts/api/auth.api.ts. */
export function NewPasswordFields({
  value,
  onChange,
  errors,
}: {
  value: NewPassword
  onChange: (value: NewPassword) => void
  errors: Record<string, string>
}) {
  return (
    <>
      <TextField
        label="Password"
        type="password"
        name="new-password"
        autoComplete="new-password"
        required
        minLength={12}
        hint="At least 12 characters. A few unrelated words make a strong, memorable password."
        error={errors['password']}
        value={value.password}
        onChange={(event) => onChange({ ...value, password: event.target.value })}
      />
      <TextField
        label="Confirm password"
        type="password"
        name="confirm-password"
        autoComplete="new-password"
        required
        error={errors['confirm']}
        value={value.confirm}
        onChange={(event) => onChange({ ...value, confirm: event.target.value })}
      />
    </>
  )
}

export function confirmError(value: NewPassword): Record<string, string> {
  return value.confirm !== value.password ? { confirm: 'The passwords do not match.' } : {}
}
