// The member's summary cards (open pipeline, weighted pipeline, won this quarter; per currency) and the
// recharts bar chart of pipeline by stage, one series per currency (currencies are never added together).
import type { z } from 'zod'

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'

import type { getMyOpportunitySummary } from '../../../../contracts/api/opportunities.api.js'
import { formatDate, formatMoney, formatMoneyList, stageLabel } from '../../shared/format.js'

export type Summary = z.infer<NonNullable<(typeof getMyOpportunitySummary)['response']>>

/** One line per currency, largest first, so mixed currencies stay readable. */
function MoneyLines({ amounts }: { amounts: Summary['openPipeline'] }) {
  if (amounts.length === 0) return <span>{formatMoney(0, null)}</span>
  return (
    <>
      {[...amounts]
        .sort((a, b) => b.amount - a.amount)
        .map((m) => (
          <span key={m.currencyIsoCode ?? ''} className="crm-money-line">
            {formatMoney(m.amount, m.currencyIsoCode)}
          </span>
        ))}
    </>
  )
}

export function SummaryCards({ summary }: { summary: Summary }) {
  const won = summary.wonThisQuarter
  return (
    <dl className="crm-summary" aria-label="Pipeline summary">
      <div className="card">
        <dt>Open pipeline</dt>
        <dd className="crm-summary-value">
          <MoneyLines amounts={summary.openPipeline} />
        </dd>
        <dd className="muted small">
          {summary.openCount} open opportunit{summary.openCount === 1 ? 'y' : 'ies'}
        </dd>
      </div>
      <div className="card">
        <dt>Weighted pipeline</dt>
        <dd className="crm-summary-value">
          <MoneyLines amounts={summary.weightedPipeline} />
        </dd>
        <dd className="muted small">Amount × probability</dd>
      </div>
      <div className="card">
        <dt>Won this quarter</dt>
        <dd className="crm-summary-value">
          <MoneyLines amounts={won.amounts} />
        </dd>
        <dd className="muted small">
          {won.count} won · {formatDate(won.quarterStart)} – {formatDate(won.quarterEnd)}
        </dd>
      </div>
    </dl>
  )
}

const palette = ['var(--accent)', '#2b8a3e', '#e67700', '#862e9c', '#c92a2a']

export function PipelineChart({ summary }: { summary: Summary }) {
  const currencies = [
    ...new Set(summary.stages.flatMap((s) => s.amounts.map((m) => m.currencyIsoCode ?? ''))),
  ]
  const data = summary.stages.map((stage) => {
    const row: Record<string, string | number> = { stage: stageLabel(stage.stageName), count: stage.count }
    for (const m of stage.amounts) row[m.currencyIsoCode ?? ''] = m.amount
    return row
  })
  if (data.length === 0) return null
  return (
    <figure className="panel crm-chart" aria-label="Pipeline by stage">
      <figcaption>
        <h2>Pipeline by stage</h2>
      </figcaption>
      <div className="chart-box crm-chart-box">
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="stage" fontSize={12} minTickGap={8} />
            <YAxis
              fontSize={12}
              tickFormatter={(v: number) =>
                formatMoney(v, currencies.length === 1 ? currencies[0] || null : null, true)
              }
            />
            <Tooltip formatter={(value, name) => formatMoney(Number(value), String(name) || null)} />
            {currencies.length > 1 && <Legend />}
            {currencies.map((currency, index) => (
              <Bar
                key={currency}
                dataKey={currency}
                name={currency || 'Amount'}
                fill={palette[index % palette.length] ?? 'var(--accent)'}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="visually-hidden">
        <caption>Pipeline by stage</caption>
        <tbody>
          {summary.stages.map((s) => (
            <tr key={s.stageName ?? ''}>
              <th scope="row">{stageLabel(s.stageName)}</th>
              <td>{s.count}</td>
              <td>{formatMoneyList(s.amounts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}
