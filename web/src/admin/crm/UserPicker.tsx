// Type-ahead over active users (name or email), for adding members one by one or in bulk.
import { Group, Text } from '@mantine/core'
import { useState } from 'react'

import type { MemberUser } from '../../../../contracts/api/members.api.js'
import { useDebouncedValue } from '../../components/use-debounced-value.js'
import { useAssignableUsers } from '../../api/use-opportunities.js'
import { PersonAvatar } from '../../components/PersonAvatar.js'
import { SearchPicker } from '../../components/SearchPicker.js'
import { StatusBadge } from '../../components/StatusBadge.js'

interface UserPickerProps {
  label: string
  /** When given, users already on this opportunity are marked and cannot be picked again. */
  opportunityId?: string
  onPick: (user: MemberUser) => void
  disabled?: boolean
}

export function UserPicker({ label, opportunityId, onPick, disabled }: UserPickerProps) {
  const [text, setText] = useState('')
  const search = useDebouncedValue(text, 250)
  const users = useAssignableUsers(search, opportunityId)
  return (
    <SearchPicker
      label={label}
      placeholder="Name or email"
      text={text}
      onTextChange={setText}
      results={text.trim() ? (users.data?.users ?? []) : []}
      resultKey={(user) => user.id}
      isDisabled={(user) => user.isMember === true}
      onPick={onPick}
      disabled={disabled}
      noMatch={users.isSuccess && search === text ? `No active user matches “${text.trim()}”.` : undefined}
      renderResult={(user) => (
        <Group gap="xs" wrap="nowrap">
          <PersonAvatar name={user.name} size={24} />
          <Text span fw={600} size="sm">
            {user.name}
          </Text>
          <Text span c="dimmed" size="sm">
            {user.email}
          </Text>
          {user.isMember === true && <StatusBadge>Already a member</StatusBadge>}
        </Group>
      )}
    />
  )
}
