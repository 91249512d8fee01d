// The board view: one column per stage (from the summary, so the count and amount cover every page), with
// the cards of the opportunities loaded on this page.
import { Link } from 'react-router'

import type { OpportunityListItem } from '../../../../contracts/api/opportunities.api.js'
import { formatDate, formatMoney, formatMoneyList, stageLabel } from '../../shared/format.js'
import type { Summary } from './PipelineSummary.js'

export function OpportunityBoard({
  items,
  stages,
}: {
  items: OpportunityListItem[]
  stages: Summary['stages']
}) {
  const columns = [...stages]
  // A stage on this page that the summary does not list (should not happen): still give it a column.
  for (const item of items)
    if (!columns.some((c) => c.stageName === item.stageName))
      columns.push({ stageName: item.stageName, isClosed: item.isClosed, count: 0, amounts: [] })

  return (
    <div className="crm-board" aria-label="Opportunities by stage">
      {columns.map((column) => {
        const cards = items.filter((i) => i.stageName === column.stageName)
        const title = stageLabel(column.stageName)
        return (
          <section key={column.stageName ?? ''} className="crm-board-column" aria-label={title}>
            <header>
              <h2>{title}</h2>
              <p className="muted small">
                <span data-testid="column-count">{column.count}</span> ·{' '}
                {formatMoneyList(column.amounts, true)}
              </p>
            </header>
            <ul>
              {cards.map((item) => (
                <li key={item.id} className="crm-board-card">
                  <Link to={`/portal/crm/opportunities/${item.id}`}>{item.name}</Link>
                  <span className="muted small">{item.accountName ?? 'No account'}</span>
                  <span className="crm-board-meta">
                    <strong>{formatMoney(item.amount, item.currencyIsoCode)}</strong>
                    <span className="muted small">{formatDate(item.closeDate)}</span>
                  </span>
                </li>
              ))}
              {cards.length === 0 && <li className="muted small crm-board-empty">None on this page</li>}
            </ul>
          </section>
        )
      })}
    </div>
  )
}
