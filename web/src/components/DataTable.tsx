// A compact data table: TanStack Table v8 holds the columns, Mantine's Table draws them. The first column
// marked `rowHeader` is the row's <th scope="row"> (what a screen reader announces per cell); cells stay on
// one line and the container scrolls sideways on a phone instead of squeezing names into three lines.
// Column definitions: https://tanstack.com/table/v8/docs/guide/column-defs
import { Table } from '@mantine/core'
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table'

export interface DataColumnMeta {
  numeric?: boolean
  rowHeader?: boolean
}

// Columns of different value types in one list, as TanStack's guide types them:
// https://tanstack.com/table/v8/docs/guide/column-defs#column-helpers
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DataColumn<T> = ColumnDef<T, any>

interface DataTableProps<T> {
  rows: T[]
  columns: DataColumn<T>[]
  rowId: (row: T) => string
  label: string
  /** Rows drawn dimmed (a deactivated user, a revoked token). */
  dimmed?: (row: T) => boolean
  minWidth?: number
}

export function DataTable<T>({ rows, columns, rowId, label, dimmed, minWidth = 560 }: DataTableProps<T>) {
  // The table object is rebuilt each render on purpose (TanStack's API is not memoizable); rows are few.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable<T>({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: rowId,
  })
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native">
      <Table aria-label={label} verticalSpacing="xs" style={{ whiteSpace: 'nowrap' }}>
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
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
          {table.getRowModel().rows.map((row) => (
            <Table.Tr key={row.id} {...(dimmed?.(row.original) ? { c: 'dimmed' } : {})}>
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
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}
