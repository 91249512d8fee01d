import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'

import type { ApiSyncRun } from '../../../../../contracts/api/sync.api.js'

/** Records fetched per run, oldest of the last 20 runs on the left. */
export function SyncRunsChart({ runs }: { runs: ApiSyncRun[] }) {
  const data = runs
    .slice(0, 20)
    .reverse()
    .map((run) => ({ name: `#${run.id}`, fetched: run.recordsFetched }))
  if (data.length === 0) return null
  return (
    <figure className="panel" aria-label="Records fetched per run (last 20 runs)">
      <figcaption className="muted small">Records fetched per run (last 20 runs)</figcaption>
      <div className="chart-box">
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" fontSize={12} />
            <YAxis fontSize={12} allowDecimals={false} />
            <Tooltip />
            <Bar dataKey="fetched" name="Records fetched" fill="var(--accent)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  )
}
