// Recent runs at a glance: records fetched (bars) and duration (line) per run, oldest of the last 20 on the
// left. Loaded lazily by SyncLogTab: recharts is the largest dependency of the admin pages.
import { Box, Text } from '@mantine/core'
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'

import { Panel } from '../../../components/Panel.js'

import type { ApiSyncRun } from '../../../../../contracts/api/sync.api.js'

export function SyncRunsChart({ runs }: { runs: ApiSyncRun[] }) {
  const data = runs
    .slice(0, 20)
    .reverse()
    .map((run) => ({
      name: `#${run.id}`,
      fetched: run.recordsFetched,
      seconds: Math.round(run.durationMs / 100) / 10,
    }))
  if (data.length === 0) return null
  return (
    <Panel component="figure" aria-label="Records fetched and duration per run (last 20 runs)">
      <Text component="figcaption" size="sm" c="dimmed">
        Records fetched and duration per run (last 20 runs)
      </Text>
      <Box h={200}>
        <ResponsiveContainer>
          <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" fontSize={12} />
            <YAxis yAxisId="records" fontSize={12} allowDecimals={false} />
            <YAxis yAxisId="seconds" orientation="right" fontSize={12} unit=" s" />
            <Tooltip />
            <Legend />
            <Bar
              yAxisId="records"
              dataKey="fetched"
              name="Records fetched"
              fill="var(--accent)"
              isAnimationActive={false}
            />
            <Line
              yAxisId="seconds"
              dataKey="seconds"
              name="Duration (s)"
              stroke="var(--text-muted)"
              dot={false}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </Box>
    </Panel>
  )
}
