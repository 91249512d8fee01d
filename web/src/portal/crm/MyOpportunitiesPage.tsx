// /portal/crm/opportunities — the signed-in user's opportunities: summary cards, pipeline chart, and a list
// or board view with search, filters and sort. Empty states say what to do next. On a phone the deals come
// first and the summary and chart follow them (issue 17 item 8).
import { Button, Collapse, Group, Skeleton, Stack, Text } from '@mantine/core'
import { useMediaQuery } from '@mantine/hooks'
import { IconFilter, IconLayoutKanban, IconList } from '@tabler/icons-react'
import { lazy, Suspense, useState } from 'react'

import type { CrmPortalStatus } from '../../../../contracts/api/opportunities.api.js'
import { sortByStage } from '../../../../contracts/api/stage-order.js'
import { isApiError } from '../../api/client.js'
import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'
import { QueryError, Spinner } from '../../components/QueryState.js'
import { useDebouncedValue } from '../../components/use-debounced-value.js'
// The board's styles (crm-board*) live with the shared CRM styles.
import { OpportunityBoard } from './OpportunityBoard.js'
import { emptyFilters, filtersToParams, toApiFilters, type FilterState } from '../../crm/filter-state.js'
import { OpportunityFilters } from '../../crm/OpportunityFilters.js'
import { OpportunityTable } from '../../crm/OpportunityTable.js'
import { useUrlFilters } from '../../crm/use-url-filters.js'
import { Pager, useCursorStack } from '../../crm/Pager.js'
import { SummaryCards } from './PipelineSummary.js'
import { useMyOpportunities, useMySummary } from '../../api/use-opportunities.js'

function StatusEmptyState({ status }: { status: Exclude<CrmPortalStatus, 'ready'> }) {
  if (status === 'not_configured')
    return (
      <EmptyState title="CRM is not configured yet">
        Opportunities assigned to you will appear here once an admin connects Salesforce in Module Settings.
      </EmptyState>
    )
  if (status === 'not_synced')
    return (
      <EmptyState title="Not synced yet">
        Salesforce is connected, but the first sync has not brought any opportunities yet. Check back in a few
        minutes.
      </EmptyState>
    )
  return (
    <EmptyState title="No opportunities yet">
      No opportunities are assigned to you yet — ask your admin to add you.
    </EmptyState>
  )
}

/** The member opens on their open deals, soonest close date first (issue 17 item 3). */
const myDefaults: FilterState = { ...emptyFilters, status: 'open', sort: 'closeDate', direction: 'asc' }

// recharts is large: the chart arrives in its own chunk after the list (https://react.dev/reference/react/lazy).
const PipelineChart = lazy(() => import('./PipelineChart.js').then((m) => ({ default: m.PipelineChart })))

const memberHref = (id: string) => `/portal/crm/opportunities/${id}`

export function MyOpportunitiesPage() {
  const { filters, setFilters, view, setView } = useUrlFilters(myDefaults)
  const search = useDebouncedValue(filters.search, 300)
  const apiFilters = toApiFilters(filters, search)
  const pages = useCursorStack(JSON.stringify([apiFilters, filters.sort, filters.direction, view]))
  const list = useMyOpportunities({
    ...apiFilters,
    sort: filters.sort,
    direction: filters.direction,
    limit: view === 'board' ? 200 : 50,
    cursor: pages.cursor,
  })
  const summary = useMySummary(apiFilters)
  const allStages = useMySummary({})
  // The stage menu in the org's stage order (OpportunityStage.SortOrder), as the board and the chart.
  const stages = sortByStage(
    allStages.data?.stages ?? [],
    (s) => s.stageName,
    (s) => s.sortOrder,
  ).flatMap((s) => (s.stageName ? [s.stageName] : []))
  const isPhone = useMediaQuery('(max-width: 48em)') ?? false
  // How many of the search, filters and sort differ from the defaults (on a phone they fold away).
  const changed = filtersToParams(filters, myDefaults).size
  const [filtersOpen, setFiltersOpen] = useState(changed > 0)

  const header = (
    <PageHeader title="My opportunities" description="Opportunities assigned to you in Salesforce." />
  )
  if (list.isPending)
    return (
      <>
        {header}
        <Spinner label="Loading your opportunities" />
      </>
    )
  if (list.isError)
    return (
      <>
        {header}
        {isApiError(list.error, 'MODULE_DISABLED') ? (
          <EmptyState title="CRM is turned off">
            An admin has turned the CRM module off for this workspace.
          </EmptyState>
        ) : (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        )}
      </>
    )
  const data = list.data
  if (data.status !== 'ready')
    return (
      <>
        {header}
        <StatusEmptyState status={data.status} />
      </>
    )

  const overview = summary.data && (
    <>
      <SummaryCards summary={summary.data} />
      <Suspense fallback={<Skeleton height={220} />}>
        <PipelineChart summary={summary.data} />
      </Suspense>
    </>
  )
  return (
    <Stack gap="md">
      {header}
      {!isPhone && overview}
      {isPhone ? (
        // On a phone the deals come first: search and filters fold under one button (issue 17 item 8).
        <Stack gap="xs">
          <Button
            variant="default"
            size="xs"
            style={{ alignSelf: 'flex-start' }}
            leftSection={<IconFilter size={14} aria-hidden="true" />}
            aria-expanded={filtersOpen}
            aria-controls="my-opportunity-filters"
            onClick={() => setFiltersOpen((open) => !open)}
          >
            Search and filters{changed > 0 ? ` (${changed} set)` : ''}
          </Button>
          <Collapse in={filtersOpen} id="my-opportunity-filters">
            <OpportunityFilters value={filters} onChange={setFilters} stages={stages} />
          </Collapse>
        </Stack>
      ) : (
        <OpportunityFilters value={filters} onChange={setFilters} stages={stages} />
      )}
      <Group justify="space-between" gap="sm">
        <Text aria-live="polite">
          <strong>{data.totalCount}</strong> of {data.assignedCount} opportunit
          {data.assignedCount === 1 ? 'y' : 'ies'}
        </Text>
        <Group gap={4} role="group" aria-label="View">
          {(['list', 'board'] as const).map((v) => (
            <Button
              key={v}
              size="xs"
              variant={view === v ? 'filled' : 'default'}
              aria-pressed={view === v}
              leftSection={
                v === 'list' ? (
                  <IconList size={14} aria-hidden="true" />
                ) : (
                  <IconLayoutKanban size={14} aria-hidden="true" />
                )
              }
              onClick={() => setView(v)}
            >
              {v === 'list' ? 'List' : 'Board'}
            </Button>
          ))}
        </Group>
      </Group>
      {data.items.length === 0 ? (
        <EmptyState title="No opportunities match">Change the search or filters to see more.</EmptyState>
      ) : view === 'board' ? (
        <OpportunityBoard items={data.items} stages={summary.data?.stages ?? []} />
      ) : (
        <OpportunityTable
          items={data.items}
          label="My opportunities"
          variant="member"
          hrefFor={memberHref}
          busy={list.isFetching}
        />
      )}
      {(pages.page > 1 || data.nextCursor) && (
        <Pager
          page={pages.page}
          hasNext={Boolean(data.nextCursor)}
          busy={list.isFetching}
          onNext={() => data.nextCursor && pages.next(data.nextCursor)}
          onPrevious={pages.previous}
        />
      )}
      {isPhone && overview}
    </Stack>
  )
}
