// /portal/crm/opportunities — the signed-in user's opportunities: summary cards, pipeline chart, and a list
// or board view with search, filters and sort. Empty states say what to do next.
import { useState } from 'react'
import { Link, useSearchParams } from 'react-router'

import type { CrmPortalStatus } from '../../../contracts/api/opportunities.api.js'
import { isApiError } from '../api/client.js'
import { EmptyState } from '../components/EmptyState.js'
import { PageHeader } from '../components/PageHeader.js'
import { QueryError, Spinner } from '../components/QueryState.js'
import { useDebouncedValue } from '../components/use-debounced-value.js'
import './crm.css'
import { formatDate, formatMoney, formatPercent } from '../shared/format.js'
import { OpportunityBoard } from './OpportunityBoard.js'
import { emptyFilters, OpportunityFilters, toApiFilters, type FilterState } from './OpportunityFilters.js'
import { Pager, useCursorStack } from './Pager.js'
import { PipelineChart, SummaryCards } from './PipelineSummary.js'
import { useMyOpportunities, useMySummary } from './use-opportunities.js'

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

export function MyOpportunitiesPage() {
  const [searchParams, setSearchParams] = useSearchParams()
  const view = searchParams.get('view') === 'board' ? 'board' : 'list'
  const [filters, setFilters] = useState<FilterState>(emptyFilters)
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
  const stages = (allStages.data?.stages ?? []).flatMap((s) => (s.stageName ? [s.stageName] : []))

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

  return (
    <div className="stack">
      {header}
      {summary.data && <SummaryCards summary={summary.data} />}
      {summary.data && <PipelineChart summary={summary.data} />}
      <OpportunityFilters value={filters} onChange={setFilters} stages={stages} />
      <div className="crm-view-bar">
        <p aria-live="polite">
          <strong>{data.totalCount}</strong> of {data.assignedCount} opportunit
          {data.assignedCount === 1 ? 'y' : 'ies'}
        </p>
        <div className="crm-view-toggle" role="group" aria-label="View">
          {(['list', 'board'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className={view === v ? 'button button-small button-primary' : 'button button-small'}
              aria-pressed={view === v}
              onClick={() => setSearchParams(v === 'board' ? { view: 'board' } : {}, { replace: true })}
            >
              {v === 'list' ? 'List' : 'Board'}
            </button>
          ))}
        </div>
      </div>
      {data.items.length === 0 ? (
        <EmptyState title="No opportunities match">Change the search or filters to see more.</EmptyState>
      ) : view === 'board' ? (
        <OpportunityBoard items={data.items} stages={summary.data?.stages ?? []} />
      ) : (
        <div className="table-wrap">
          <table
            className="table table-cards crm-table"
            aria-label="My opportunities"
            aria-busy={list.isFetching}
          >
            <thead>
              <tr>
                <th scope="col">Opportunity</th>
                <th scope="col">Account</th>
                <th scope="col">Stage</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col" className="num">
                  Probability
                </th>
                <th scope="col">Close date</th>
                <th scope="col">Owner</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => (
                <tr key={item.id}>
                  <th scope="row">
                    <Link to={`/portal/crm/opportunities/${item.id}`}>{item.name}</Link>
                  </th>
                  <td data-label="Account">{item.accountName ?? '—'}</td>
                  <td data-label="Stage">{item.stageName ?? '—'}</td>
                  <td data-label="Amount" className="num">
                    {formatMoney(item.amount, item.currencyIsoCode)}
                  </td>
                  <td data-label="Probability" className="num">
                    {formatPercent(item.probability)}
                  </td>
                  <td data-label="Close date">{formatDate(item.closeDate)}</td>
                  <td data-label="Owner">{item.ownerName ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
    </div>
  )
}
