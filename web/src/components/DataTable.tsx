// A compact data table: TanStack Table v8 holds the columns, Mantine's Table draws them. The first column
// marked `rowHeader` is the row's <th scope="row"> (what a screen reader announces per cell); cells stay on
// one line and the container scrolls sideways on a phone instead of squeezing names into three lines.
// Sorting and paging stay with the caller (the server sorts the opportunity lists), so the table only draws
// the rows it is given. Column definitions: https://tanstack.com/table/v8/docs/guide/column-defs
import { Checkbox, Table } from '@mantine/core'
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table'
import type { MouseEvent } from 'react'

export interface DataColumnMeta {
  numeric?: boolean
  rowHeader?: boolean
}

// Columns of different value types in one list, as TanStack's guide types them:
// https://tanstack.com/table/v8/docs/guide/column-defs#column-helpers
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DataColumn<T> = ColumnDef<T, any>

/** A checkbox column before the others; the caller keeps the selected ids (they survive paging). */
export interface DataSelection<T> {
  selected: readonly string[]
  onToggle: (id: string) => void
  onToggleAll: () => void
  /** The row's checkbox label, e.g. "Select Stark Upgrade". */
  rowLabel: (row: T) => string
}

interface DataTableProps<T> {
  rows: T[]
  columns: DataColumn<T>[]
  rowId: (row: T) => string
  label?: string | undefined
  /** Rows drawn dimmed (a deactivated user, a revoked token). */
  dimmed?: ((row: T) => boolean) | undefined
  minWidth?: number | undefined
  busy?: boolean | undefined
  selection?: DataSelection<T> | undefined
  /** A click anywhere on the row except its own controls (links, checkboxes, buttons). */
  onRowClick?: ((row: T) => void) | undefined
  stickyHeader?: boolean | undefined
}

function ownControl(event: MouseEvent) {
  return (event.target as HTMLElement).closest('input, a, button, label') !== null
}

export function DataTable<T>({
  rows,
  columns,
  rowId,
  label,
  dimmed,
  minWidth = 560,
  busy,
  selection,
  onRowClick,
  stickyHeader,
}: DataTableProps<T>) {
  // The table object is rebuilt each render on purpose (TanStack's API is not memoizable); rows are few.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable<T>({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: rowId,
    manualSorting: true,
    manualPagination: true,
  })
  const selected = new Set(selection?.selected ?? [])
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(rowId(row)))
  const someSelected = !allSelected && rows.some((row) => selected.has(rowId(row)))
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native">
      <Table
        aria-label={label}
        aria-busy={busy}
        stickyHeader={stickyHeader ?? false}
        verticalSpacing="xs"
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
                    indeterminate={someSelected}
                    onChange={selection.onToggleAll}
                  />
                </Table.Th>
              )}
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta as DataColumnMeta | undefined
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
                data-selected={isSelected ? true : undefined}
                {...(isSelected ? { bg: 'var(--mantine-primary-color-light)' } : {})}
                {...(onRowClick ? { style: { cursor: 'pointer' } } : {})}
                {...(dimmed?.(row.original) ? { c: 'dimmed' } : {})}
                {...(onRowClick
                  ? { onClick: (event: MouseEvent) => ownControl(event) || onRowClick(row.original) }
                  : {})}
              >
                {selection && (
                  <Table.Td>
                    <Checkbox
                      size="xs"
                      aria-label={selection.rowLabel(row.original)}
                      checked={isSelected}
                      onChange={() => selection.onToggle(row.id)}
                    />
                  </Table.Td>
                )}
                {row.getVisibleCells().map((cell) => {
                  const meta = cell.column.columnDef.meta as DataColumnMeta | undefined
                  const content = flexRender(cell.column.columnDef.cell, cell.getContext())
                  return meta?.rowHeader ? (
                    <Table.Th key={cell.id} scope="row" fw={500}>
                      {content}
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
