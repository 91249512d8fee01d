// The opportunity table shared by All Opportunities (admin, with selection and member counts) and My
// Opportunities (member). TanStack Table v8 holds the columns and the row selection model; sorting and
// paging stay on the server (manualSorting), so the table only draws the page it is given.
// Column definitions: https://tanstack.com/table/v8/docs/guide/column-defs
import { Anchor, Checkbox, Group, Table, Text } from '@mantine/core'
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
} from '@tanstack/react-table'
import { useMemo } from 'react'
import { Link, useNavigate } from 'react-router'

import type {
  AdminOpportunityListItem,
  OpportunityListItem,
} from '../../../contracts/api/opportunities.api.js'
import { StatusBadge } from '../components/StatusBadge.js'
import './crm.css'
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
// Columns of different value types in one list, as TanStack's guide types them:
// https://tanstack.com/table/v8/docs/guide/column-defs#column-helpers
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyColumn = ColumnDef<Item, any>

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
      cell: (info) => (
        <Anchor component={Link} to={hrefFor(info.row.original.id)} fw={500} className="crm-name-link">
          {info.row.original.name}
        </Anchor>
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

interface ColumnMeta {
  numeric?: boolean
  rowHeader?: boolean
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
  // The table object is rebuilt each render on purpose (TanStack's API is not memoizable); rows are few.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable<Item>({
    data: items,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.id,
    manualSorting: true,
    manualPagination: true,
  })
  const selected = new Set(selection?.selected ?? [])
  const allSelected = items.length > 0 && items.every((item) => selected.has(item.id))

  return (
    <Table.ScrollContainer minWidth={640} type="native">
      <Table
        className="crm-table"
        aria-label={label}
        aria-busy={busy}
        striped={false}
        stickyHeader
        style={{ whiteSpace: 'nowrap' }}
      >
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {selection && (
                <Table.Th w={36}>
                  <Checkbox
                    size="xs"
                    aria-label="Select all on this page"
                    checked={allSelected}
                    indeterminate={!allSelected && items.some((item) => selected.has(item.id))}
                    onChange={selection.onToggleAll}
                  />
                </Table.Th>
              )}
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta as ColumnMeta | undefined
                return (
                  <Table.Th key={header.id} scope="col" ta={meta?.numeric ? 'right' : undefined}>
                    {flexRender(header.column.columnDef.header, header.getContext())}
                  </Table.Th>
                )
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {table.getRowModel().rows.map((row) => {
            const isSelected = selected.has(row.id)
            return (
              <Table.Tr
                key={row.id}
                className="crm-row-link"
                data-selected={isSelected ? true : undefined}
                onClick={(event) => {
                  if ((event.target as HTMLElement).closest('input, a, button, label')) return
                  void navigate(hrefFor(row.id))
                }}
              >
                {selection && (
                  <Table.Td>
                    <Checkbox
                      size="xs"
                      aria-label={`Select ${row.original.name}`}
                      checked={isSelected}
                      onChange={() => selection.onToggle(row.id)}
                    />
                  </Table.Td>
                )}
                {row.getVisibleCells().map((cell) => {
                  const meta = cell.column.columnDef.meta as ColumnMeta | undefined
                  const content = flexRender(cell.column.columnDef.cell, cell.getContext())
                  return meta?.rowHeader ? (
                    <Table.Th key={cell.id} scope="row" fw={400} maw={320}>
                      <Text component="span" truncate="end" display="block" title={row.original.name}>
                        {content}
                      </Text>
                    </Table.Th>
                  ) : (
                    <Table.Td key={cell.id} ta={meta?.numeric ? 'right' : undefined}>
                      {content}
                    </Table.Td>
                  )
                })}
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}
