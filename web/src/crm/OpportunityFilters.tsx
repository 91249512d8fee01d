// The search, filter and sort controls shared by All Opportunities (admin) and My Opportunities (member).
import { Button } from '@mantine/core'
import { useId } from 'react'

import type { OpportunitySort } from '../../../contracts/api/opportunities.api.js'
import { emptyFilters, type FilterState } from './filter-state.js'

const sortLabels: Record<OpportunitySort, string> = {
  closeDate: 'Close date',
  amount: 'Amount',
  name: 'Name',
  lastModified: 'Last modified',
}

interface Props {
  value: FilterState
  /** Only the fields that changed: two quick changes must not undo each other (use-url-filters.ts). */
  onChange: (changed: Partial<FilterState>) => void
  stages: string[]
  /** Admin only: owners seen so far, and the with/without members filter. */
  owners?: { id: string; name: string }[]
}

export function OpportunityFilters({ value, onChange, stages, owners }: Props) {
  const id = useId()
  const set = <K extends keyof FilterState>(key: K, next: FilterState[K]) => onChange({ [key]: next })
  const isFiltered = value.search || value.stage || value.status || value.closeDateFrom || value.closeDateTo
  const isAdminFiltered = owners && (value.owner || value.members)

  return (
    <div className="crm-filters" role="search" aria-label="Opportunities">
      <div className="field crm-filter-search">
        <label htmlFor={`${id}-search`}>Search</label>
        <input
          id={`${id}-search`}
          type="search"
          placeholder="Opportunity or account name"
          value={value.search}
          onChange={(event) => set('search', event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-stage`}>Stage</label>
        <select id={`${id}-stage`} value={value.stage} onChange={(event) => set('stage', event.target.value)}>
          <option value="">Any stage</option>
          {stages.map((stage) => (
            <option key={stage} value={stage}>
              {stage}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={value.status}
          onChange={(event) => set('status', event.target.value as FilterState['status'])}
        >
          <option value="">Open and closed</option>
          <option value="open">Open</option>
          <option value="closed">Closed</option>
          <option value="won">Won</option>
          <option value="lost">Lost</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-from`}>Close date from</label>
        <input
          id={`${id}-from`}
          type="date"
          value={value.closeDateFrom}
          onChange={(event) => set('closeDateFrom', event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>Close date to</label>
        <input
          id={`${id}-to`}
          type="date"
          value={value.closeDateTo}
          onChange={(event) => set('closeDateTo', event.target.value)}
        />
      </div>
      {owners && (
        <>
          <div className="field">
            <label htmlFor={`${id}-owner`}>Owner</label>
            <select
              id={`${id}-owner`}
              value={value.owner}
              onChange={(event) => set('owner', event.target.value)}
            >
              <option value="">Any owner</option>
              {owners.map((owner) => (
                <option key={owner.id} value={owner.id}>
                  {owner.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-members`}>Members</label>
            <select
              id={`${id}-members`}
              value={value.members}
              onChange={(event) => set('members', event.target.value as FilterState['members'])}
            >
              <option value="">With or without</option>
              <option value="with">With members</option>
              <option value="without">Without members</option>
            </select>
          </div>
        </>
      )}
      <div className="field">
        <label htmlFor={`${id}-sort`}>Sort by</label>
        <select
          id={`${id}-sort`}
          value={`${value.sort}:${value.direction}`}
          onChange={(event) => {
            const [sort, direction] = event.target.value.split(':') as [OpportunitySort, 'asc' | 'desc']
            onChange({ sort, direction })
          }}
        >
          {(Object.keys(sortLabels) as OpportunitySort[]).flatMap((sort) => [
            <option key={`${sort}:asc`} value={`${sort}:asc`}>
              {sortLabels[sort]} ↑
            </option>,
            <option key={`${sort}:desc`} value={`${sort}:desc`}>
              {sortLabels[sort]} ↓
            </option>,
          ])}
        </select>
      </div>
      {(isFiltered || isAdminFiltered) && (
        <Button
          variant="subtle"
          className="crm-filters-clear"
          onClick={() => onChange({ ...emptyFilters, sort: value.sort, direction: value.direction })}
        >
          Clear filters
        </Button>
      )}
    </div>
  )
}
