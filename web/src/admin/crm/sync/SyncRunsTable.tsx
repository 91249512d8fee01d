// The Sync Log table: one row per run, newest first, "Older runs" paging, and a run's events on click.
import { Button } from '@mantine/core'
import { useState } from 'react'

import type { ApiSyncRun } from '../../../../../contracts/api/sync.api.js'
import { useSyncRun } from '../../../api/use-sync.js'
import { QueryError, Spinner } from '../../../components/QueryState.js'
import { formatDateTime } from '../../../shared/format.js'
import { formatDuration, formatNumber } from '../../../shared/format.js'
import { statusTone, statusLabel } from './sync-format.js'
import { StatusBadge } from '../../../components/StatusBadge.js'

interface Props {
  runs: ApiSyncRun[]
  hasOlder: boolean
  loadingOlder: boolean
  onOlder: () => void
}

export function SyncRunsTable({ runs, hasOlder, loadingOlder, onOlder }: Props) {
  const [selected, setSelected] = useState<number | null>(null)
  if (runs.length === 0) return <p className="muted">No sync runs yet.</p>
  const n = (value: number) => formatNumber(value)
  return (
    <div className="stack">
      <div className="table-wrap">
        <table className="table" aria-label="Sync runs">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Trigger</th>
              <th scope="col">Method</th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Fetched</th>
              <th scope="col">Inserted</th>
              <th scope="col">Updated</th>
              <th scope="col">Deleted</th>
              <th scope="col">Unchanged</th>
              <th scope="col">API calls</th>
              <th scope="col">Allowance left</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} className={selected === run.id ? 'row-selected' : undefined}>
                <td>
                  <Button
                    variant="subtle"
                    size="xs"
                    aria-expanded={selected === run.id}
                    onClick={() => setSelected(selected === run.id ? null : run.id)}
                  >
                    #{run.id}
                  </Button>
                </td>
                <td>
                  <StatusBadge tone={statusTone[run.status]}>{statusLabel(run.status)}</StatusBadge>
                  {run.error && (
                    <div className="small run-error">
                      <strong>{run.error.code}</strong>: {run.error.message}
                      {run.error.hint && <div className="muted">{run.error.hint}</div>}
                    </div>
                  )}
                </td>
                <td>{run.trigger}</td>
                <td>{run.method?.toUpperCase() ?? '—'}</td>
                <td>{formatDateTime(run.startedAt, 'Never')}</td>
                <td>{formatDuration(run.durationMs)}</td>
                <td>{n(run.recordsFetched)}</td>
                <td>{n(run.recordsInserted)}</td>
                <td>{n(run.recordsUpdated)}</td>
                <td>{n(run.recordsDeleted)}</td>
                <td>{n(run.recordsUnchanged)}</td>
                <td>{n(run.apiCalls)}</td>
                <td>
                  {run.apiRemaining !== null
                    ? `${n(run.apiRemaining)}${run.apiMax !== null ? ` of ${n(run.apiMax)}` : ''}`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {hasOlder && (
        <div>
          <Button variant="default" disabled={loadingOlder} onClick={onOlder}>
            {loadingOlder ? 'Loading…' : 'Older runs'}
          </Button>
        </div>
      )}
      {selected !== null && <RunEvents id={selected} />}
    </div>
  )
}

function RunEvents({ id }: { id: number }) {
  const query = useSyncRun(id)
  return (
    <section className="panel stack" aria-label={`Events of run #${id}`}>
      <h3>Run #{id} events</h3>
      {query.isLoading ? (
        <Spinner label="Loading events" />
      ) : query.error || !query.data ? (
        <QueryError error={query.error} />
      ) : query.data.events.length === 0 ? (
        <p className="muted">No events recorded.</p>
      ) : (
        <ul className="check-list">
          {query.data.events.map((event) => (
            <li key={event.id}>
              <StatusBadge
                tone={event.level === 'error' ? 'danger' : event.level === 'warning' ? 'warning' : 'neutral'}
              >
                {event.level}
              </StatusBadge>
              <div>
                <span className="muted small">{formatDateTime(event.at, 'Never')}</span> {event.message}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
