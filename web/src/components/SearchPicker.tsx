// A type-ahead: a search input with its results in a list just below (Mantine TextInput, Paper and
// NavLink buttons). Arrow keys move between the input and the results; Escape closes the list.
// The combobox pattern it follows: https://www.w3.org/WAI/ARIA/apg/patterns/combobox/
import { NavLink, Paper, Stack, TextInput } from '@mantine/core'
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'

interface SearchPickerProps<T> {
  label: string
  placeholder: string
  text: string
  onTextChange: (text: string) => void
  /** The results for the current text ([] while there is no text). */
  results: T[]
  resultKey: (item: T) => string
  renderResult: (item: T) => ReactNode
  isDisabled?: (item: T) => boolean
  onPick: (item: T) => void
  /** Shown under the input when the search finished with no result. */
  noMatch?: ReactNode
  disabled?: boolean | undefined
}

export function SearchPicker<T>(props: SearchPickerProps<T>) {
  const { label, text, results, isDisabled, onPick } = props
  const id = useId()
  const [open, setOpen] = useState(false)
  const listRef = useRef<HTMLDivElement>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const shown = open && text.trim() ? results : []

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape') {
      setOpen(false)
      inputRef.current?.focus()
      return
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])]
    if (buttons.length === 0) return
    event.preventDefault()
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement)
    const next = event.key === 'ArrowDown' ? index + 1 : index - 1
    if (next < 0) inputRef.current?.focus()
    else buttons[Math.min(next, buttons.length - 1)]?.focus()
  }

  return (
    <div style={{ position: 'relative', minWidth: 260, flex: '1 1 260px', maxWidth: 480 }}>
      <TextInput
        id={id}
        ref={inputRef}
        label={label}
        type="search"
        role="combobox"
        aria-expanded={shown.length > 0}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        autoComplete="off"
        placeholder={props.placeholder}
        value={text}
        disabled={props.disabled ?? false}
        description={open && text.trim() && shown.length === 0 ? props.noMatch : undefined}
        inputWrapperOrder={['label', 'input', 'description']}
        onChange={(event) => {
          props.onTextChange(event.target.value)
          setOpen(true)
        }}
        onKeyDown={onKeyDown}
      />
      {shown.length > 0 && (
        <Paper
          withBorder
          shadow="md"
          p={4}
          pos="absolute"
          left={0}
          right={0}
          mt={4}
          style={{ zIndex: 20, maxHeight: 280, overflowY: 'auto' }}
        >
          <Stack
            component="ul"
            ref={listRef}
            gap={2}
            m={0}
            p={0}
            style={{ listStyle: 'none' }}
            id={`${id}-list`}
            role="listbox"
            aria-label={`${label} results`}
            onKeyDown={onKeyDown}
          >
            {shown.map((item) => (
              <li
                key={props.resultKey(item)}
                role="option"
                aria-selected={false}
                aria-disabled={isDisabled?.(item) ?? false}
              >
                <NavLink
                  component="button"
                  type="button"
                  label={props.renderResult(item)}
                  disabled={isDisabled?.(item) ?? false}
                  onClick={() => {
                    onPick(item)
                    props.onTextChange('')
                    setOpen(false)
                  }}
                />
              </li>
            ))}
          </Stack>
        </Paper>
      )}
    </div>
  )
}
