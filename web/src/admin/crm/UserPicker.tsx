// Type-ahead over active users (name or email), for adding members one by one or in bulk.
import { useId, useRef, useState, type KeyboardEvent } from 'react'

import type { MemberUser } from '../../../../contracts/api/members.api.js'
import { useDebouncedValue } from '../../components/use-debounced-value.js'
import { useAssignableUsers } from '../../api/use-opportunities.js'
import { StatusBadge } from '../../components/StatusBadge.js'

interface UserPickerProps {
  label: string
  /** When given, users already on this opportunity are marked and cannot be picked again. */
  opportunityId?: string
  onPick: (user: MemberUser) => void
  disabled?: boolean
}

export function UserPicker({ label, opportunityId, onPick, disabled }: UserPickerProps) {
  const id = useId()
  const [text, setText] = useState('')
  const [open, setOpen] = useState(false)
  const search = useDebouncedValue(text, 250)
  const users = useAssignableUsers(search, opportunityId)
  const list = open && text.trim() ? (users.data?.users ?? []) : []
  const listRef = useRef<HTMLUListElement>(null)
  const inputRef = useRef<HTMLInputElement>(null)

  /** Arrow keys move between the input and the results; Escape closes the list. */
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
    <div className="field crm-picker">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        role="combobox"
        aria-expanded={list.length > 0}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        autoComplete="off"
        placeholder="Name or email"
        value={text}
        disabled={disabled}
        onChange={(event) => {
          setText(event.target.value)
          setOpen(true)
        }}
        ref={inputRef}
        onKeyDown={onKeyDown}
      />
      {list.length > 0 && (
        <ul
          ref={listRef}
          onKeyDown={onKeyDown}
          id={`${id}-list`}
          role="listbox"
          className="crm-picker-list"
          aria-label={`${label} results`}
        >
          {list.map((user) => (
            <li key={user.id} role="option" aria-selected={false} aria-disabled={user.isMember === true}>
              <button
                type="button"
                disabled={user.isMember === true}
                onClick={() => {
                  onPick(user)
                  setText('')
                  setOpen(false)
                }}
              >
                <strong>{user.name}</strong> <span className="muted">{user.email}</span>
                {user.isMember === true && <StatusBadge>Already a member</StatusBadge>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {open && text.trim() && users.isSuccess && list.length === 0 && search === text && (
        <p className="field-hint">No active user matches “{text.trim()}”.</p>
      )}
    </div>
  )
}
