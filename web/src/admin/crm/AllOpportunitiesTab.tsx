// Module Settings > All Opportunities: every synced opportunity, searched, filtered and sorted on the server,
// paged by keyset cursor, with totals and bulk membership changes. A row opens the admin opportunity page.
import { Button, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { Link } from 'react-router'

import { sortByStage } from '../../../../contracts/api/stage-order.js'
import { EmptyState } from '../../components/EmptyState.js'
import { FormAlert } from '../../components/Field.js'
import { QueryError, Spinner } from '../../components/QueryState.js'
import { useDebouncedValue } from '../../components/use-debounced-value.js'
import { BulkMembersBar } from './BulkMembersBar.js'
import { offersAllMatching, type BulkSelection } from './bulk-selection.js'
import { formatMoneyList, formatNumber, hasConverted } from '../../shared/format.js'
import { emptyFilters, toApiFilters } from '../../crm/filter-state.js'
import { OpportunityFilters } from '../../crm/OpportunityFilters.js'
import { OpportunityTable } from '../../crm/OpportunityTable.js'
import { useUrlFilters } from '../../crm/use-url-filters.js'
import { Pager, useCursorStack } from '../../crm/Pager.js'
import {
  useAllOpportunities,
  useAllOpportunitiesTotals,
  useFilterOptions,
} from '../../api/use-opportunities.js'

const pageSize = 50

const adminHref = (id: string) => `/admin/crm/opportunities/${id}`

export function AllOpportunitiesTab() {
  const { filters, setFilters } = useUrlFilters(emptyFilters)
  const search = useDebouncedValue(filters.search, 300)
  const apiFilters = {
    ...toApiFilters(filters, search),
    owner: filters.owner ? [filters.owner] : undefined,
    members: filters.members || undefined,
    activityDays: filters.activityDays ? Number(filters.activityDays) : undefined,
  }
  // A shared My Opportunities link may carry the member-only sort; this list sorts by close date instead.
  const sort = filters.sort === 'lastActivity' ? 'closeDate' : filters.sort
  const filterKey = JSON.stringify(apiFilters)
  const pages = useCursorStack(JSON.stringify([apiFilters, sort, filters.direction]))
  const list = useAllOpportunities({
    ...apiFilters,
    sort,
    direction: filters.direction,
    limit: pageSize,
    cursor: pages.cursor,
  })
  const totals = useAllOpportunitiesTotals(apiFilters)
  const [selected, setSelected] = useState<string[]>([])
  const [bulkMessage, setBulkMessage] = useState<string | null>(null)
  // "All matching" holds for the filters it was chosen under; other filters mean a selection of rows again.
  const [matchingKey, setMatchingKey] = useState<string | null>(null)
  const options = useFilterOptions().data
  const items = list.data?.items ?? []
  const allSelected = items.length > 0 && items.every((i) => selected.includes(i.id))
  const matchCount = totals.data?.count
  const allMatching = matchingKey === filterKey && matchCount !== undefined
  const selection: BulkSelection = allMatching
    ? { kind: 'matching', count: matchCount }
    : { kind: 'ids', ids: selected }
  const clearSelection = () => {
    setSelected([])
    setMatchingKey(null)
  }

  const toggle = (id: string) => {
    setMatchingKey(null)
    setSelected((current) => (current.includes(id) ? current.filter((x) => x !== id) : [...current, id]))
  }
  const toggleAll = () => {
    setMatchingKey(null)
    setSelected((current) =>
      allSelected
        ? current.filter((id) => !items.some((i) => i.id === id))
        : [...new Set([...current, ...items.map((i) => i.id)])],
    )
  }

  return (
    <Stack component="section" gap="md" aria-labelledby="all-opps-heading">
      <Title order={2} id="all-opps-heading">
        All Opportunities
      </Title>
      <OpportunityFilters
        value={filters}
        onChange={(next) => {
          setFilters(next)
          setBulkMessage(null)
        }}
        stages={sortByStage(
          options?.stages ?? [],
          (s) => s.name,
          (s) => s.sortOrder,
        ).map((s) => s.name)}
        owners={
          options?.owners.map((owner) => ({ id: owner.id, name: owner.name ?? owner.email ?? owner.id })) ??
          []
        }
      />
      <Text role="status" aria-label="Totals">
        {totals.data ? (
          <>
            <strong>{formatNumber(totals.data.count)}</strong> opportunit
            {totals.data.count === 1 ? 'y' : 'ies'}
            {' · '}
            {formatMoneyList(totals.data.amounts)}
            {hasConverted(totals.data.amounts) && (
              <Text span size="sm" c="dimmed" display="block">
                Salesforce adds up amounts in different currencies in the corporate currency, at the
                org&apos;s conversion rates.
              </Text>
            )}
          </>
        ) : (
          <Text span c="dimmed">
            Counting…
          </Text>
        )}
      </Text>
      {(selected.length > 0 || allMatching) && (
        <BulkMembersBar
          selection={selection}
          filters={apiFilters}
          onClear={clearSelection}
          onDone={(message) => {
            clearSelection()
            setBulkMessage(message)
          }}
        />
      )}
      {!allMatching &&
        offersAllMatching(
          items.map((i) => i.id),
          selected,
          matchCount,
        ) && (
          <Text size="sm">
            All {formatNumber(items.length)} on this page are selected.{' '}
            <Button variant="subtle" size="compact-sm" onClick={() => setMatchingKey(filterKey)}>
              Select all {formatNumber(matchCount ?? 0)} matching this filter
            </Button>
          </Text>
        )}
      <FormAlert tone="success" message={selected.length > 0 || allMatching ? null : bulkMessage} />
      {list.isPending ? (
        <Spinner label="Loading opportunities" />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        Object.values(apiFilters).some((v) => v !== undefined) ? (
          <EmptyState title="No opportunities match">Change the search or filters to see more.</EmptyState>
        ) : (
          <EmptyState title="No opportunities yet">
            Connect Salesforce in <Link to="/admin/modules/crm">Setup</Link>, then run a sync from the{' '}
            <Link to="/admin/modules/crm/sync-log">Sync Log</Link>.
          </EmptyState>
        )
      ) : (
        <OpportunityTable
          items={items}
          variant="admin"
          hrefFor={adminHref}
          busy={list.isFetching}
          selection={{
            selected: allMatching ? items.map((i) => i.id) : selected,
            onToggle: toggle,
            onToggleAll: toggleAll,
          }}
        />
      )}
      <Pager
        page={pages.page}
        hasNext={Boolean(list.data?.nextCursor)}
        busy={list.isFetching}
        onNext={() => list.data?.nextCursor && pages.next(list.data.nextCursor)}
        onPrevious={pages.previous}
      />
    </Stack>
  )
}
