// Events delivered and changes applied per minute over the last 30 minutes (loaded lazily: recharts).
import { Box, Text } from '@mantine/core'
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'

import { Panel } from '../../../components/Panel.js'

import type { RealtimeStatus } from '../../../../../contracts/api/realtime.api.js'

export function RealtimeChart({ minutes }: { minutes: RealtimeStatus['minutes'] }) {
  const data = minutes.map((m) => ({
    name: new Date(m.minute).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }),
    delivered: m.delivered,
    applied: m.applied,
  }))
  if (data.every((m) => m.delivered === 0)) return null
  return (
    <Panel component="figure" aria-label="Change events per minute (last 30 minutes)">
      <Text component="figcaption" size="sm" c="dimmed">
        Change events per minute (last 30 minutes)
      </Text>
      <Box h={200}>
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" fontSize={12} />
            <YAxis fontSize={12} allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="delivered" name="Delivered" fill="var(--text-muted)" isAnimationActive={false} />
            <Bar dataKey="applied" name="Applied" fill="var(--accent)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </Box>
    </Panel>
  )
}
