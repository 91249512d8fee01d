// One user's opportunities from the Members overview: how they got each, Remove for manual assignments
// (automatic ones say why they stay), and "Assign more" through the opportunity type-ahead.
import { Button, Group, Pagination, Stack, Text } from '@mantine/core'
import { useState } from 'react'

import type { MemberOpportunity } from '../../../../../contracts/api/member-overview.api.js'
import type { MemberUser } from '../../../../../contracts/api/members.api.js'
import { useMemberAssignment, useMemberOpportunities } from '../../../api/use-member-overview.js'
import { DataTable, type DataColumn } from '../../../components/DataTable.js'
import { Dialog } from '../../../components/Dialog.js'
import { FormAlert } from '../../../components/Field.js'
import { Notice } from '../../../components/Notice.js'
import { errorMessage, QueryError, Spinner } from '../../../components/QueryState.js'
import { formatDate, formatMoney, formatNumber, stageLabel } from '../../../shared/format.js'
import { assignmentLabel, removalNote } from './overview-sort.js'
import { OpportunityPicker } from './OpportunityPicker.js'

const pageSize = 20

export function MemberOpportunitiesDialog({ user, onClose }: { user: MemberUser; onClose: () => void }) {
  const [page, setPage] = useState(1)
  const list = useMemberOpportunities(user.id, page, pageSize)
  const { add, remove } = useMemberAssignment(user.id)
  const [message, setMessage] = useState<string | null>(null)
  const failure = add.error ?? remove.error

  const columns: DataColumn<MemberOpportunity>[] = [
    {
      id: 'name',
      header: 'Opportunity',
      meta: { rowHeader: true },
      cell: ({ row }) => (
        <Stack gap={0}>
          <Text span fw={500} size="sm">
            {row.original.name || row.original.id}
          </Text>
          <Text span c="dimmed" size="xs">
            {row.original.missingInSalesforce ? 'Not found in Salesforce' : (row.original.accountName ?? '—')}
          </Text>
        </Stack>
      ),
    },
    { id: 'stage', header: 'Stage', cell: ({ row }) => stageLabel(row.original.stageName) },
    {
      id: 'amount',
      header: 'Amount',
      meta: { numeric: true },
      cell: ({ row }) => formatMoney(row.original.amount, row.original.currencyIsoCode),
    },
    { id: 'close', header: 'Close date', cell: ({ row }) => formatDate(row.original.closeDate) },
    { id: 'how', header: 'Assigned', cell: ({ row }) => assignmentLabel(row.original) },
    {
      id: 'action',
      header: 'Action',
      cell: ({ row }) => {
        const item = row.original
        const label = item.name || item.id
        const note = removalNote(item)
        return (
          <Group gap="xs" wrap="nowrap">
            {item.isManual && (
              <Button
                size="compact-sm"
                color="red"
                disabled={remove.isPending}
                aria-label={`Remove ${user.name} from ${label}`}
                onClick={() =>
                  remove.mutate(item.id, {
                    onSuccess: (result) =>
                      setMessage(
                        result.remaining
                          ? `Removed the manual assignment on ${label}; the automatic one stays.`
                          : `Removed ${user.name} from ${label}.`,
                      ),
                  })
                }
              >
                Remove
              </Button>
            )}
            {note && (
              <Text span size="xs" c="dimmed" style={{ whiteSpace: 'normal', maxWidth: '22rem' }}>
                {note}
              </Text>
            )}
          </Group>
        )
      },
    },
  ]

  const pages = Math.max(1, Math.ceil((list.data?.totalCount ?? 0) / pageSize))
  return (
    <Dialog title={`${user.name}'s opportunities`} onClose={onClose} size="64rem" description={user.email}>
      <Stack gap="md">
        {/* In a row: the picker's flex basis is a width, which a column would take as a height. */}
        <Group>
          <OpportunityPicker
            label="Assign more: opportunity"
            onPick={(opportunity) =>
              add.mutate(opportunity.id, {
                onSuccess: (result) =>
                  setMessage(
                    result.changed
                      ? `Assigned ${user.name} to ${opportunity.name}.`
                      : `${user.name} already was on ${opportunity.name}.`,
                  ),
              })
            }
          />
        </Group>
        <FormAlert message={failure ? errorMessage(failure) : null} />
        <FormAlert tone="success" message={message} />
        {list.isPending ? (
          <Spinner label="Loading their opportunities" />
        ) : list.isError ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <Text>{user.name} is on no opportunity yet.</Text>
        ) : (
          <>
            {/* Live mode reads the page from Salesforce; only when that failed are the rows ids alone. */}
            {list.data.liveError !== null && (
              <Notice tone="warning">
                {list.data.liveError} The opportunities show by their Salesforce id until it answers.
              </Notice>
            )}
            <DataTable
              label={`${user.name}'s opportunities`}
              rows={list.data.items}
              columns={columns}
              rowId={(item) => item.id}
              busy={list.isFetching}
              minWidth={820}
            />
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                {formatNumber(list.data.totalCount)} opportunit{list.data.totalCount === 1 ? 'y' : 'ies'}
              </Text>
              {pages > 1 && (
                <Pagination
                  total={pages}
                  value={page}
                  onChange={setPage}
                  getControlProps={(control) => ({
                    'aria-label': control === 'previous' ? 'Previous page' : 'Next page',
                  })}
                  getItemProps={(item) => ({ 'aria-label': `Page ${item}` })}
                />
              )}
            </Group>
          </>
        )}
      </Stack>
    </Dialog>
  )
}
