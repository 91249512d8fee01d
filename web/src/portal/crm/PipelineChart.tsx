// Pipeline by stage (recharts, loaded lazily by MyOpportunitiesPage so the list never waits for it): open
// stages by default, closed ones on request; one chart per currency, since amounts in different currencies
// are never added or drawn on one axis. Bars are horizontal so every stage name stays readable, with the
// amount in its currency at the end of each bar and a tooltip in the app's own style.
// recharts BarChart: https://recharts.github.io/en-US/api/BarChart/
import { ColorSwatch, Group, Paper, Stack, Switch, Text, Title, VisuallyHidden } from '@mantine/core'
import { useState } from 'react'
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'

import { sortByStage } from '../../../../contracts/api/stage-order.js'
import { formatMoney, formatMoneyList, stageLabel } from '../../shared/format.js'
import type { Summary } from './PipelineSummary.js'

interface Row {
  stage: string
  isClosed: boolean
  forecastCategory: string | null
  count: number
  amount: number
}

/**
 * Bar colours by forecast category (ForecastCategoryName labels; Object Reference "Opportunity",
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunity.htm),
 * from uncertain (Pipeline) to certain (Commit, Closed); shade 7 keeps 3:1 non-text contrast on light and dark.
 * The tooltip and the table below name the category too, so colour is never the only cue (WCAG 1.4.1).
 */
export const FORECAST_COLOURS: Record<string, string> = {
  Pipeline: 'var(--mantine-color-blue-7)',
  'Best Case': 'var(--mantine-color-cyan-7)',
  'Most Likely': 'var(--mantine-color-violet-7)',
  Commit: 'var(--mantine-color-teal-7)',
  Closed: 'var(--mantine-color-green-8)',
  Omitted: 'var(--mantine-color-gray-6)',
}

export function forecastColour(category: string | null): string {
  return (category && FORECAST_COLOURS[category]) || 'var(--mantine-color-gray-6)'
}

/** One series per currency; `null` is the org's only currency when the API names none. */
export function chartSeries(stages: Summary['stages'], includeClosed: boolean) {
  // Bars top to bottom in the org's stage order (OpportunityStage.SortOrder), whatever order they came in.
  const ordered = sortByStage(
    stages,
    (s) => s.stageName,
    (s) => s.sortOrder,
  )
  const shown = ordered.filter((s) => includeClosed || !s.isClosed)
  const currencies = [...new Set(shown.flatMap((s) => s.amounts.map((m) => m.currencyIsoCode)))]
  return currencies.map((currency) => ({
    currency,
    // A stage with nothing in this currency has no bar in its chart (it appears in the others).
    rows: shown
      .filter((s) => s.amounts.some((m) => m.currencyIsoCode === currency))
      .map((s): Row => ({
        stage: stageLabel(s.stageName),
        isClosed: s.isClosed,
        forecastCategory: s.forecastCategoryName,
        count: s.count,
        amount: s.amounts.find((m) => m.currencyIsoCode === currency)?.amount ?? 0,
      })),
  }))
}

function StageTooltip({
  active,
  payload,
  currency,
}: {
  active?: boolean
  payload?: { payload: Row }[]
  currency: string | null
}) {
  const row = payload?.[0]?.payload
  if (!active || !row) return null
  return (
    <Paper withBorder shadow="sm" px="sm" py={6}>
      <Text size="sm" fw={600}>
        {row.stage}
      </Text>
      <Text size="sm">{formatMoney(row.amount, currency)}</Text>
      <Text size="xs" c="dimmed">
        {row.count} opportunit{row.count === 1 ? 'y' : 'ies'}
        {row.forecastCategory ? ` · Forecast: ${row.forecastCategory}` : ''}
      </Text>
    </Paper>
  )
}

function CurrencyChart({ currency, rows }: { currency: string | null; rows: Row[] }) {
  const height = 48 + rows.length * 36
  return (
    <div style={{ width: '100%', height }}>
      <ResponsiveContainer>
        <BarChart
          data={rows}
          layout="vertical"
          margin={{ top: 4, right: 72, bottom: 4, left: 4 }}
          accessibilityLayer={false}
        >
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis
            type="number"
            fontSize={12}
            tickFormatter={(v: number) => formatMoney(v, currency, true)}
            stroke="var(--mantine-color-dimmed)"
          />
          <YAxis
            type="category"
            dataKey="stage"
            width={150}
            fontSize={12}
            interval={0}
            stroke="var(--mantine-color-dimmed)"
          />
          <Tooltip
            cursor={{ fill: 'var(--mantine-color-default-hover)' }}
            content={<StageTooltip currency={currency} />}
          />
          <Bar dataKey="amount" isAnimationActive={false} radius={[0, 4, 4, 0]}>
            {rows.map((row) => (
              <Cell key={row.stage} fill={forecastColour(row.forecastCategory)} />
            ))}
            <LabelList
              dataKey="amount"
              position="right"
              fontSize={12}
              fill="var(--mantine-color-text)"
              formatter={(v: unknown) => formatMoney(Number(v), currency, true)}
            />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}

/** The categories on screen, in FORECAST_COLOURS' order (from uncertain to certain). */
export function legendCategories(categories: Array<string | null>): string[] {
  return Object.keys(FORECAST_COLOURS).filter((name) => categories.includes(name))
}

function ForecastLegend({ categories }: { categories: Array<string | null> }) {
  const names = legendCategories(categories)
  if (names.length === 0) return null
  return (
    <Group gap="md">
      {names.map((name) => (
        <Group key={name} gap={6} wrap="nowrap">
          <ColorSwatch color={forecastColour(name)} size={12} withShadow={false} />
          <Text size="xs">{name}</Text>
        </Group>
      ))}
    </Group>
  )
}

export function PipelineChart({ summary }: { summary: Summary }) {
  const [includeClosed, setIncludeClosed] = useState(false)
  const series = chartSeries(summary.stages, includeClosed)
  const hasClosed = summary.stages.some((s) => s.isClosed)
  if (summary.stages.length === 0) return null
  const shown = summary.stages.filter((s) => includeClosed || !s.isClosed)
  return (
    <Paper component="figure" withBorder p="md" m={0} aria-labelledby="pipeline-chart-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} id="pipeline-chart-title" component="figcaption">
          Pipeline by stage
        </Title>
        {hasClosed && (
          <Switch
            size="sm"
            label="Include closed stages"
            checked={includeClosed}
            onChange={(event) => setIncludeClosed(event.currentTarget.checked)}
          />
        )}
      </Group>
      {series.length === 0 ? (
        <Text c="dimmed" size="sm">
          No open amounts yet.
        </Text>
      ) : (
        <Stack gap="sm" aria-hidden="true">
          {series.map(({ currency, rows }) => (
            <div key={currency ?? ''}>
              {series.length > 1 && (
                <Text size="sm" fw={600}>
                  {currency}
                </Text>
              )}
              <CurrencyChart currency={currency} rows={rows} />
            </div>
          ))}
          <ForecastLegend categories={shown.map((s) => s.forecastCategoryName)} />
        </Stack>
      )}
      <VisuallyHidden>
        <table>
          <caption>Pipeline by stage</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Opportunities</th>
              <th scope="col">Forecast category</th>
              <th scope="col">Amount</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr key={s.stageName ?? ''}>
                <th scope="row">{stageLabel(s.stageName)}</th>
                <td>{s.count}</td>
                <td>{s.forecastCategoryName ?? '—'}</td>
                <td>{formatMoneyList(s.amounts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </VisuallyHidden>
    </Paper>
  )
}
