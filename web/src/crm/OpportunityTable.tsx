// The opportunity table shared by All Opportunities (admin, with selection and member counts) and My
// Opportunities (member): its columns on the shared DataTable, which draws headers, rows and the selection
// column; sorting and paging stay on the server, so the table only draws the page it is given.
import { Anchor, Group, Text } from '@mantine/core'
import { createColumnHelper } from '@tanstack/react-table'
import { useMemo } from 'react'
import { Link, useNavigate } from 'react-router'

import type {
  AdminOpportunityListItem,
  OpportunityListItem,
} from '../../../contracts/api/opportunities.api.js'
import { DataTable, type DataColumn } from '../components/DataTable.js'
import { StatusBadge } from '../components/StatusBadge.js'
import { formatDate, formatDateTime, formatMoney, formatPercent, isOverdue } from '../shared/format.js'

type Item = OpportunityListItem & Partial<Pick<AdminOpportunityListItem, 'memberCount'>>

export interface Selection {
  selected: string[]
  onToggle: (id: string) => void
  onToggleAll: () => void
}

interface Props<T extends Item> {
  items: T[]
  label?: string
  hrefFor: (id: string) => string
  busy?: boolean
  /** Admin columns: members and last modified; the member's list shows probability instead. */
  variant: 'admin' | 'member'
  selection?: Selection
}

const column = createColumnHelper<Item>()
type AnyColumn = DataColumn<Item>

function CloseDate({ item }: { item: Item }) {
  const overdue = isOverdue(item.closeDate, item.isClosed)
  return (
    <Group gap={6} wrap="nowrap">
      <span>{formatDate(item.closeDate)}</span>
      {overdue && <StatusBadge tone="danger">Overdue</StatusBadge>}
    </Group>
  )
}

function columnsFor(variant: Props<Item>['variant'], hrefFor: (id: string) => string): AnyColumn[] {
  const columns = [
    column.accessor('name', {
      header: 'Opportunity',
      // Long names are cut with an ellipsis (the full name in the title) so the row stays one line.
      cell: (info) => (
        <Group gap={6} wrap="nowrap">
          <Text component="span" truncate="end" display="block" maw={320} title={info.row.original.name}>
            <Anchor component={Link} to={hrefFor(info.row.original.id)} fw={500}>
              {info.row.original.name}
            </Anchor>
          </Text>
          {info.row.original.unread && <StatusBadge tone="info">New activity</StatusBadge>}
        </Group>
      ),
      meta: { rowHeader: true },
    }),
    column.accessor('accountName', { header: 'Account', cell: (info) => info.getValue() ?? '—' }),
    column.accessor('stageName', { header: 'Stage', cell: (info) => info.getValue() ?? '—' }),
    column.accessor('amount', {
      header: 'Amount',
      cell: (info) => formatMoney(info.getValue(), info.row.original.currencyIsoCode),
      meta: { numeric: true },
    }),
    ...(variant === 'member'
      ? [
          column.accessor('probability', {
            header: 'Probability',
            cell: (info) => formatPercent(info.getValue()),
            meta: { numeric: true },
          }),
        ]
      : []),
    column.accessor('closeDate', {
      header: 'Close date',
      cell: (info) => <CloseDate item={info.row.original} />,
    }),
    column.accessor('ownerName', { header: 'Owner', cell: (info) => info.getValue() ?? '—' }),
    column.accessor('lastActivityAt', {
      header: 'Last activity',
      cell: (info) => formatDateTime(info.getValue()),
    }),
    ...(variant === 'admin'
      ? [
          column.accessor('memberCount', {
            header: 'Members',
            cell: (info) => info.getValue() ?? 0,
            meta: { numeric: true },
          }),
          column.accessor('lastModifiedDate', {
            header: 'Last modified',
            cell: (info) => formatDateTime(info.getValue()),
          }),
        ]
      : []),
  ]
  return columns as AnyColumn[]
}

export function OpportunityTable<T extends Item>({
  items,
  label,
  hrefFor,
  busy,
  variant,
  selection,
}: Props<T>) {
  const navigate = useNavigate()
  const columns = useMemo(() => columnsFor(variant, hrefFor), [variant, hrefFor])
  return (
    <DataTable<Item>
      rows={items}
      columns={columns}
      rowId={(row) => row.id}
      label={label}
      busy={busy}
      minWidth={640}
      stickyHeader
      onRowClick={(row) => void navigate(hrefFor(row.id))}
      selection={selection && { ...selection, rowLabel: (row) => `Select ${row.name}` }}
    />
  )
}
