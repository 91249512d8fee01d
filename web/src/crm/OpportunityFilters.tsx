// The search, filter and sort controls shared by All Opportunities (admin) and My Opportunities (member).
// Mantine inputs; the selects stay native (NativeSelect) for keyboards and phones.
import { Button, Group, NativeSelect, TextInput } from '@mantine/core'
import { IconSearch } from '@tabler/icons-react'

import type { ListSort } from '../../../contracts/api/opportunities.api.js'
import { activityChoices, emptyFilters, type FilterState } from './filter-state.js'

const sortLabels: Record<ListSort, string> = {
  closeDate: 'Close date',
  amount: 'Amount',
  name: 'Name',
  lastModified: 'Last modified',
  lastActivity: 'Last activity',
}

interface Props {
  value: FilterState
  /** Only the fields that changed: two quick changes must not undo each other (use-url-filters.ts). */
  onChange: (changed: Partial<FilterState>) => void
  stages: string[]
  /** Admin only: owners seen so far, and the with/without members filter. */
  owners?: { id: string; name: string }[]
}

const statusOptions = [
  { value: '', label: 'Open and closed' },
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed' },
  { value: 'won', label: 'Won' },
  { value: 'lost', label: 'Lost' },
]
const memberOptions = [
  { value: '', label: 'With or without' },
  { value: 'with', label: 'With members' },
  { value: 'without', label: 'Without members' },
]
const activityOptions = [
  { value: '', label: 'Any time' },
  ...activityChoices.map((days) => ({ value: days, label: days === '1' ? 'Last day' : `Last ${days} days` })),
]
// Only My Opportunities sorts by last activity (over the member's own deals); All Opportunities filters by it.
const sortOptionsFor = (admin: boolean) =>
  (Object.keys(sortLabels) as ListSort[])
    .filter((sort) => !(admin && sort === 'lastActivity'))
    .flatMap((sort) => [
      { value: `${sort}:asc`, label: `${sortLabels[sort]} ↑` },
      { value: `${sort}:desc`, label: `${sortLabels[sort]} ↓` },
    ])
const fieldWidth = { base: '100%', xs: 'auto' } as const

export function OpportunityFilters({ value, onChange, stages, owners }: Props) {
  const set = <K extends keyof FilterState>(key: K, next: FilterState[K]) => onChange({ [key]: next })
  const isFiltered = value.search || value.stage || value.status || value.closeDateFrom || value.closeDateTo
  const isAdminFiltered = owners && (value.owner || value.members || value.activityDays)

  return (
    <Group role="search" aria-label="Opportunities" gap="sm" align="flex-end">
      <TextInput
        label="Search"
        type="search"
        placeholder="Opportunity or account name"
        leftSection={<IconSearch size={16} aria-hidden="true" />}
        value={value.search}
        onChange={(event) => set('search', event.target.value)}
        style={{ flex: '1 1 240px' }}
      />
      <NativeSelect
        label="Stage"
        value={value.stage}
        onChange={(event) => set('stage', event.target.value)}
        data={[{ value: '', label: 'Any stage' }, ...stages.map((stage) => ({ value: stage, label: stage }))]}
        w={fieldWidth}
      />
      <NativeSelect
        label="Status"
        value={value.status}
        onChange={(event) => set('status', event.target.value as FilterState['status'])}
        data={statusOptions}
        w={fieldWidth}
      />
      <TextInput
        label="Close date from"
        type="date"
        value={value.closeDateFrom}
        onChange={(event) => set('closeDateFrom', event.target.value)}
        w={fieldWidth}
      />
      <TextInput
        label="Close date to"
        type="date"
        value={value.closeDateTo}
        onChange={(event) => set('closeDateTo', event.target.value)}
        w={fieldWidth}
      />
      {owners && (
        <>
          <NativeSelect
            label="Owner"
            value={value.owner}
            onChange={(event) => set('owner', event.target.value)}
            data={[
              { value: '', label: 'Any owner' },
              ...owners.map((owner) => ({ value: owner.id, label: owner.name })),
            ]}
            w={fieldWidth}
          />
          <NativeSelect
            label="Members"
            value={value.members}
            onChange={(event) => set('members', event.target.value as FilterState['members'])}
            data={memberOptions}
            w={fieldWidth}
          />
          <NativeSelect
            label="Activity"
            value={value.activityDays}
            onChange={(event) => set('activityDays', event.target.value as FilterState['activityDays'])}
            data={activityOptions}
            w={fieldWidth}
          />
        </>
      )}
      <NativeSelect
        label="Sort by"
        value={`${value.sort}:${value.direction}`}
        onChange={(event) => {
          const [sort, direction] = event.target.value.split(':') as [ListSort, 'asc' | 'desc']
          onChange({ sort, direction })
        }}
        data={sortOptionsFor(Boolean(owners))}
        w={fieldWidth}
      />
      {(isFiltered || isAdminFiltered) && (
        <Button
          variant="subtle"
          onClick={() => onChange({ ...emptyFilters, sort: value.sort, direction: value.direction })}
        >
          Clear filters
        </Button>
      )}
    </Group>
  )
}
