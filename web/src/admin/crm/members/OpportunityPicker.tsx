// Type-ahead over All Opportunities by name or account (8 at most), for the access lookup and "Assign more".
import { Group, Text } from '@mantine/core'
import { useState } from 'react'

import type { AdminOpportunityListItem } from '../../../../../contracts/api/opportunities.api.js'
import { useAllOpportunities } from '../../../api/use-opportunities.js'
import { SearchPicker } from '../../../components/SearchPicker.js'
import { useDebouncedValue } from '../../../components/use-debounced-value.js'

export function OpportunityPicker({
  onPick,
  label = 'Opportunity',
}: {
  onPick: (o: AdminOpportunityListItem) => void
  label?: string
}) {
  const [text, setText] = useState('')
  const search = useDebouncedValue(text, 300)
  const list = useAllOpportunities({
    search: search.trim() || undefined,
    sort: 'name',
    direction: 'asc',
    limit: 8,
  })
  return (
    <SearchPicker
      label={label}
      placeholder="Opportunity or account name"
      text={text}
      onTextChange={setText}
      results={search.trim() ? (list.data?.items ?? []) : []}
      resultKey={(o) => o.id}
      onPick={onPick}
      renderResult={(o) => (
        <Group gap="xs" wrap="nowrap">
          <Text span fw={600} size="sm">
            {o.name}
          </Text>
          <Text span c="dimmed" size="sm">
            {o.accountName}
          </Text>
        </Group>
      )}
    />
  )
}
