// Labelled form controls (Mantine inputs): the hint and the error are wired to the control through
// aria-describedby and aria-invalid by Mantine. Selects stay native (<select>) for keyboards and phones.
import { Alert, NativeSelect, TextInput, type NativeSelectProps, type TextInputProps } from '@mantine/core'
import type { CSSProperties, ReactNode } from 'react'

type TextFieldProps = Omit<TextInputProps, 'id' | 'label' | 'description' | 'error'> & {
  label: string
  hint?: ReactNode
  error?: string | undefined
}

export function TextField({ label, hint, error, ...input }: TextFieldProps) {
  return (
    <TextInput
      label={label}
      description={hint}
      error={error}
      withAsterisk={false}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      {...input}
    />
  )
}

type SelectFieldProps = Omit<NativeSelectProps, 'id' | 'label' | 'description' | 'error' | 'children'> & {
  label: string
  hint?: ReactNode
  error?: string | undefined
  children: ReactNode
}

export function SelectField({ label, hint, error, children, ...select }: SelectFieldProps) {
  return (
    <NativeSelect
      label={label}
      description={hint}
      error={error}
      withAsterisk={false}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      {...select}
    >
      {children}
    </NativeSelect>
  )
}

/**
 * The form-level message. The live region is always in the DOM so screen readers announce the text
 * when it appears (a region inserted together with its text is often not read).
 */
/**
 * An empty live region stays in the accessibility tree (so what is announced later is heard) without
 * taking a gap in a Stack.
 */
export const emptyLiveRegion: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
}

export function FormAlert({
  message,
  tone = 'error',
}: {
  message: string | null
  tone?: 'error' | 'success'
}) {
  return (
    <div
      style={message ? undefined : emptyLiveRegion}
      aria-live={tone === 'error' ? 'assertive' : 'polite'}
      role={tone === 'error' ? 'alert' : 'status'}
    >
      {message && (
        <Alert color={tone === 'error' ? 'red' : 'green'} variant="light" p="xs">
          {message}
        </Alert>
      )}
    </div>
  )
}
