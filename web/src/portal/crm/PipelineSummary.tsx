// The member's summary cards: open pipeline, weighted pipeline, won this quarter, one line per currency
// (currencies are never added together). The chart is in PipelineChart.tsx, loaded lazily.
import { Box, Paper, SimpleGrid, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import type { z } from 'zod'

import type { getMyOpportunitySummary, Money } from '../../../../contracts/api/opportunities.api.js'
import { formatDate, formatMoney } from '../../shared/format.js'

export type Summary = z.infer<NonNullable<(typeof getMyOpportunitySummary)['response']>>

/** One line per currency, largest first, so mixed currencies stay readable. */
function MoneyLines({ amounts }: { amounts: Summary['openPipeline'] }) {
  // Nothing to add up: a dash rather than a bare 0 with no currency.
  if (amounts.length === 0)
    return (
      <Text fz="xl" fw={600}>
        —
      </Text>
    )
  return (
    <>
      {[...amounts]
        .sort((a, b) => b.amount - a.amount)
        .map((m) => (
          <Text key={m.currencyIsoCode ?? ''} fz="xl" fw={600} lh={1.3}>
            {formatMoney(m.amount, m.currencyIsoCode)}
          </Text>
        ))}
    </>
  )
}

function SummaryCard({ term, amounts, note }: { term: string; amounts: Money[]; note: ReactNode }) {
  return (
    <Paper withBorder p="md">
      <Text component="dt" c="dimmed" size="sm" fw={500}>
        {term}
      </Text>
      <Box component="dd" m={0} mt={4}>
        <MoneyLines amounts={amounts} />
      </Box>
      <Text component="dd" c="dimmed" size="sm" m={0} mt={4}>
        {note}
      </Text>
    </Paper>
  )
}

export function SummaryCards({ summary }: { summary: Summary }) {
  const won = summary.wonThisQuarter
  return (
    <SimpleGrid component="dl" cols={{ base: 1, sm: 3 }} spacing="sm" m={0} aria-label="Pipeline summary">
      <SummaryCard
        term="Open pipeline"
        amounts={summary.openPipeline}
        note={`${summary.openCount} open opportunit${summary.openCount === 1 ? 'y' : 'ies'}`}
      />
      <SummaryCard term="Weighted pipeline" amounts={summary.weightedPipeline} note="Amount × probability" />
      <SummaryCard
        term="Won this quarter"
        amounts={won.amounts}
        note={`${won.count} won · ${formatDate(won.quarterStart)} – ${formatDate(won.quarterEnd)}`}
      />
    </SimpleGrid>
  )
}
