// The admin's settings forms (Module Settings > Edits, Feed): the values being edited, and the save's state as
// the form shows it: the server's per-field errors and summary line, "saved", "saving". One save at a time;
// a new save clears the previous answer first, so an old error never sits beside a new success.
import { useState, type FormEvent } from 'react'

import { formErrors } from '../../components/form-errors.js'

/** What the form needs of its save (TanStack Query's useMutation result has it). */
export interface SettingsSave<T> {
  mutate: (values: T) => void
  reset: () => void
  error: unknown
  isPending: boolean
  isSuccess: boolean
}

export interface SettingsSaveState {
  errors: Record<string, string>
  message: string | null
  saved: boolean
  saving: boolean
}

export function settingsSaveState(
  save: Pick<SettingsSave<unknown>, 'error' | 'isPending' | 'isSuccess'>,
): SettingsSaveState {
  const { fields, message } = formErrors(save.error, {})
  return { errors: fields, message, saved: save.isSuccess, saving: save.isPending }
}

export function submitSettings<T>(save: SettingsSave<T>, values: T): void {
  save.reset()
  save.mutate(values)
}

export function useSettingsForm<T extends object>(initial: T, save: SettingsSave<T>) {
  const [values, setValues] = useState(initial)
  return {
    values,
    /** Changes one setting. */
    set: <K extends keyof T>(key: K, value: T[K]) => setValues((current) => ({ ...current, [key]: value })),
    ...settingsSaveState(save),
    onSubmit: (event: FormEvent) => {
      event.preventDefault()
      submitSettings(save, values)
    },
  }
}
