// The Sync Log table (TanStack Table on Mantine's Table): one row per run, newest first, "Older runs" paging,
// and a run's events on click. Counts are grouped so the table fits the page; a stalled or interrupted run
// says so in its status, with the hint.
import { Button, Stack, Table, Text } from '@mantine/core'
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import { useMemo, useState } from 'react'

import type { ApiSyncRun } from '../../../../../contracts/api/sync.api.js'
import { StatusBadge } from '../../../components/StatusBadge.js'
import { formatDateTime, formatDuration, formatNumber } from '../../../shared/format.js'
import { SyncRunEvents } from './SyncRunEvents.js'
import { statusLabel, toneOf } from './sync-format.js'

interface Props {
  runs: ApiSyncRun[]
  hasOlder: boolean
  loadingOlder: boolean
  onOlder: () => void
}

const column = createColumnHelper<ApiSyncRun>()
const n = (value: number) => formatNumber(value)

function columns(selected: number | null, select: (id: number | null) => void) {
  return [
    column.accessor('id', {
      header: 'Run',
      cell: ({ getValue }) => {
        const id = getValue()
        return (
          <Button
            variant="subtle"
            size="compact-xs"
            aria-expanded={selected === id}
            onClick={() => select(selected === id ? null : id)}
          >
            #{id}
          </Button>
        )
      },
    }),
    column.display({
      id: 'status',
      header: 'Status',
      cell: ({ row: { original: run } }) => (
        <Stack gap={2} maw={360}>
          <StatusBadge tone={toneOf(run)}>{statusLabel(run)}</StatusBadge>
          {run.error && (
            <Text size="xs" style={{ whiteSpace: 'normal' }}>
              <strong>{run.error.code}</strong>: {run.error.message}
              {run.error.hint && (
                <Text span size="xs" c="dimmed" display="block">
                  {run.error.hint}
                </Text>
              )}
            </Text>
          )}
        </Stack>
      ),
    }),
    column.display({
      id: 'how',
      header: 'Trigger',
      cell: ({ row: { original: run } }) =>
        `${run.trigger}${run.method ? ` · ${run.method.toUpperCase()}` : ''}`,
    }),
    column.accessor('startedAt', {
      header: 'Started',
      cell: ({ getValue }) => formatDateTime(getValue(), 'Never'),
    }),
    column.accessor('durationMs', { header: 'Duration', cell: ({ getValue }) => formatDuration(getValue()) }),
    column.accessor('recordsFetched', { header: 'Fetched', cell: ({ getValue }) => n(getValue()) }),
    column.display({
      id: 'changes',
      header: 'Inserted / updated / deleted',
      cell: ({ row: { original: run } }) =>
        `${n(run.recordsInserted)} / ${n(run.recordsUpdated)} / ${n(run.recordsDeleted)}`,
    }),
    column.display({
      id: 'api',
      header: 'API calls (allowance left)',
      cell: ({ row: { original: run } }) =>
        `${n(run.apiCalls)}${run.apiRemaining !== null ? ` (${n(run.apiRemaining)}${run.apiMax !== null ? ` of ${n(run.apiMax)}` : ''})` : ''}`,
    }),
  ]
}

export function SyncRunsTable({ runs, hasOlder, loadingOlder, onOlder }: Props) {
  const [selected, setSelected] = useState<number | null>(null)
  const columnDefs = useMemo(() => columns(selected, setSelected), [selected])
  // The table object is rebuilt each render on purpose (TanStack's API is not memoizable); rows are few.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: runs,
    columns: columnDefs,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (run) => String(run.id),
  })
  if (runs.length === 0) return <Text c="dimmed">No sync runs yet.</Text>
  return (
    <Stack gap="md">
      <Table.ScrollContainer minWidth={760} type="native">
        <Table aria-label="Sync runs" verticalSpacing="xs" style={{ whiteSpace: 'nowrap' }}>
          <Table.Thead>
            {table.getHeaderGroups().map((group) => (
              <Table.Tr key={group.id}>
                {group.headers.map((header) => (
                  <Table.Th key={header.id} scope="col">
                    {flexRender(header.column.columnDef.header, header.getContext())}
                  </Table.Th>
                ))}
              </Table.Tr>
            ))}
          </Table.Thead>
          <Table.Tbody>
            {table.getRowModel().rows.map((row) => (
              <Table.Tr key={row.id} {...(selected === row.original.id ? { bg: 'var(--accent-soft)' } : {})}>
                {row.getVisibleCells().map((cell) => (
                  <Table.Td key={cell.id} style={{ verticalAlign: 'top' }}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {hasOlder && (
        <div>
          <Button variant="default" disabled={loadingOlder} onClick={onOlder}>
            {loadingOlder ? 'Loading…' : 'Older runs'}
          </Button>
        </div>
      )}
      {selected !== null && <SyncRunEvents id={selected} />}
    </Stack>
  )
}
