// Members overview: every active user with how many opportunities they have (manual, automatic) and their open
// pipeline per currency, searched, sorted and paged on the server. A row opens the user's opportunities.
import { Anchor, Group, Pagination, Select, Stack, Text, TextInput, Title } from '@mantine/core'
import { useState } from 'react'

import type { MemberOverviewRow } from '../../../../../contracts/api/member-overview.api.js'
import type { MemberUser } from '../../../../../contracts/api/members.api.js'
import { useMemberOverview } from '../../../api/use-member-overview.js'
import { DataTable, type DataColumn } from '../../../components/DataTable.js'
import { Notice } from '../../../components/Notice.js'
import { Panel } from '../../../components/Panel.js'
import { PersonAvatar } from '../../../components/PersonAvatar.js'
import { QueryError, Spinner } from '../../../components/QueryState.js'
import { useDebouncedValue } from '../../../components/use-debounced-value.js'
import { formatMoneyList, formatNumber } from '../../../shared/format.js'
import { MemberOpportunitiesDialog } from './MemberOpportunitiesDialog.js'
import { defaultOverviewSort, overviewSortFor, overviewSortOptions } from './overview-sort.js'

const pageSize = 25

function columns(open: (user: MemberUser) => void): DataColumn<MemberOverviewRow>[] {
  const count = (key: 'opportunityCount' | 'manualCount' | 'automaticCount' | 'openCount', header: string) =>
    ({
      id: key,
      header,
      cell: ({ row }: { row: { original: MemberOverviewRow } }) => {
        const value = row.original[key]
        return value === null ? '—' : formatNumber(value)
      },
      meta: { numeric: true },
    }) satisfies DataColumn<MemberOverviewRow>
  return [
    {
      id: 'user',
      header: 'User',
      meta: { rowHeader: true },
      cell: ({ row }) => (
        <Group gap="xs" wrap="nowrap">
          <PersonAvatar name={row.original.user.name} />
          <Anchor component="button" type="button" fw={500} onClick={() => open(row.original.user)}>
            {row.original.user.name}
          </Anchor>
          <Text span c="dimmed" size="sm">
            {row.original.user.email}
          </Text>
        </Group>
      ),
    },
    count('opportunityCount', 'Opportunities'),
    count('manualCount', 'Manual'),
    count('automaticCount', 'Automatic'),
    count('openCount', 'Open'),
    {
      id: 'pipeline',
      header: 'Open pipeline',
      meta: { numeric: true },
      cell: ({ row }) => (row.original.openPipeline ? formatMoneyList(row.original.openPipeline) : '—'),
    },
  ]
}

/** Shown instead of open figures when the server reads from Salesforce (the local rows have no stage or amount). */
const liveModeNotice = 'Open pipeline needs the local cache (Setup → Cache data locally).'

export function MemberOverview() {
  const [text, setText] = useState('')
  const search = useDebouncedValue(text, 300).trim()
  const [sortValue, setSortValue] = useState(defaultOverviewSort)
  const [paging, setPaging] = useState({ key: '', page: 1 })
  const [currencies, setCurrencies] = useState<string[]>([])
  const chosen = overviewSortFor(sortValue, currencies)
  // A new search or sort starts again at the first page.
  const pagingKey = JSON.stringify([search, chosen.value])
  const page = paging.key === pagingKey ? paging.page : 1
  const overview = useMemberOverview({ search: search || undefined, ...chosen.sort, page, pageSize })
  const known = overview.data?.currencies
  if (known && known.join() !== currencies.join()) setCurrencies(known)
  const [openUser, setOpenUser] = useState<MemberUser | null>(null)
  const pages = Math.max(1, Math.ceil((overview.data?.totalCount ?? 0) / pageSize))

  return (
    <Panel component="section" aria-labelledby="member-overview-title">
      <Title order={2} id="member-overview-title">
        People and their opportunities
      </Title>
      <Text c="dimmed" size="sm">
        Every active user, the opportunities they are on (added by an admin or automatically from Salesforce)
        and their open pipeline in each currency. Open a name to see, remove or add assignments.
      </Text>
      <Group align="flex-end" gap="md">
        <TextInput
          label="Search people"
          placeholder="Name or email"
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
        />
        <Select
          label="Sort by"
          data={overviewSortOptions(currencies).map(({ value, label }) => ({ value, label }))}
          value={chosen.value}
          onChange={(value) => setSortValue(value ?? defaultOverviewSort)}
          allowDeselect={false}
        />
      </Group>
      {overview.isPending ? (
        <Spinner label="Loading people" />
      ) : overview.isError ? (
        <QueryError error={overview.error} onRetry={() => void overview.refetch()} />
      ) : overview.data.rows.length === 0 ? (
        <Text>No active user matches “{search}”.</Text>
      ) : (
        <Stack gap="xs">
          {overview.data.mode === 'live' && <Notice tone="info">{liveModeNotice}</Notice>}
          <DataTable
            label="People and their opportunities"
            rows={overview.data.rows}
            columns={columns(setOpenUser)}
            rowId={(row) => row.user.id}
            busy={overview.isFetching}
            minWidth={760}
          />
          <Group justify="space-between">
            <Text size="sm" c="dimmed" role="status">
              {formatNumber(overview.data.totalCount)} {overview.data.totalCount === 1 ? 'person' : 'people'}
            </Text>
            {pages > 1 && (
              <Pagination
                total={pages}
                value={page}
                onChange={(next) => setPaging({ key: pagingKey, page: next })}
                getControlProps={(control) => ({
                  'aria-label': control === 'previous' ? 'Previous page' : 'Next page',
                })}
                getItemProps={(item) => ({ 'aria-label': `Page ${item}` })}
              />
            )}
          </Group>
        </Stack>
      )}
      {openUser && <MemberOpportunitiesDialog user={openUser} onClose={() => setOpenUser(null)} />}
    </Panel>
  )
}
