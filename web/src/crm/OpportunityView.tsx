// The opportunity detail shared by the member's detail page and the admin's opportunity page: the main area
// (name, account, description, key dates) and the right-hand CRM widget with the link to Salesforce.
import { Button } from '@mantine/core'
import type { ReactNode } from 'react'
import { Link } from 'react-router'

import type { OpportunityDetail } from '../../../contracts/api/opportunities.api.js'
import { isApiError } from '../api/client.js'
import { EmptyState } from '../components/EmptyState.js'
import { QueryError } from '../components/QueryState.js'
import { formatDate, formatDateTime, formatMoney, formatPercent } from '../shared/format.js'
import { StatusBadge } from '../components/StatusBadge.js'

function statusBadge(o: OpportunityDetail) {
  if (o.isWon) return <StatusBadge tone="success">Won</StatusBadge>
  if (o.isClosed) return <StatusBadge>Lost</StatusBadge>
  return <StatusBadge tone="info">Open</StatusBadge>
}

export function OpportunityMain({ opportunity: o }: { opportunity: OpportunityDetail }) {
  return (
    <div className="crm-detail-main stack">
      <div className="panel">
        <p className="crm-detail-account">
          {o.accountName ?? 'No account'} {statusBadge(o)}
        </p>
        <h2>Description</h2>
        {o.description ? (
          <p className="crm-description">{o.description}</p>
        ) : (
          <p className="muted">No description in Salesforce.</p>
        )}
      </div>
      <div className="panel">
        <h2>Key dates</h2>
        <dl className="stat-grid crm-dates">
          <div>
            <dt>Close date</dt>
            <dd>{formatDate(o.closeDate)}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{formatDateTime(o.createdDate)}</dd>
          </div>
          <div>
            <dt>Last modified in Salesforce</dt>
            <dd>{formatDateTime(o.lastModifiedDate)}</dd>
          </div>
          <div>
            <dt>Last synced</dt>
            <dd>{syncedText(o)}</dd>
          </div>
        </dl>
        {o.leadSource && <p className="muted small">Lead source: {o.leadSource}</p>}
      </div>
    </div>
  )
}

// With "Cache data locally" off nothing is synced: the record was fetched from Salesforce for this page.
function syncedText(o: OpportunityDetail): string {
  return o.source === 'live' ? 'Read live from Salesforce' : formatDateTime(o.lastSyncedAt)
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="crm-widget-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

/** Wraps an editable field's shown value in its inline editor (the member's page, when edits are allowed). */
export type EditableRender = (field: string, label: string, display: ReactNode) => ReactNode

export function OpportunityWidget({
  opportunity: o,
  editable = (_field, _label, display) => display,
  children,
}: {
  opportunity: OpportunityDetail
  editable?: EditableRender | undefined
  children?: ReactNode
}) {
  return (
    <aside className="crm-widget" aria-labelledby="crm-widget-title">
      <h2 id="crm-widget-title">Key details</h2>
      {children}
      <dl>
        <Row label="Amount">{editable('Amount', 'Amount', formatMoney(o.amount, o.currencyIsoCode))}</Row>
        <Row label="Stage">{editable('StageName', 'Stage', o.stageName ?? '—')}</Row>
        <Row label="Probability">{editable('Probability', 'Probability', formatPercent(o.probability))}</Row>
        <Row label="Close Date">{editable('CloseDate', 'Close Date', formatDate(o.closeDate))}</Row>
        <Row label="Account">{o.accountName ?? '—'}</Row>
        <Row label="Owner">{o.ownerName ?? '—'}</Row>
        <Row label="Type">{editable('Type', 'Type', o.type ?? '—')}</Row>
        <Row label="Next Step">{editable('NextStep', 'Next Step', o.nextStep ?? '—')}</Row>
        <Row label="Forecast Category">{o.forecastCategoryName ?? '—'}</Row>
        <Row label="Last synced">{syncedText(o)}</Row>
      </dl>
      {o.salesforceUrl && (
        <Button
          component="a"
          variant="default"
          fullWidth
          href={o.salesforceUrl}
          target="_blank"
          rel="noopener noreferrer"
        >
          See more details in CRM system <span aria-hidden="true">↗</span>
          <span className="visually-hidden"> (opens in a new tab)</span>
        </Button>
      )}
    </aside>
  )
}

/** 404, 410 OPPORTUNITY_DELETED, CRM off, or a plain error, each with a way back. */
export function OpportunityLoadError({
  error,
  backTo,
  backLabel,
  onRetry,
}: {
  error: unknown
  backTo: string
  backLabel: string
  onRetry: () => void
}) {
  const back = <Link to={backTo}>{backLabel}</Link>
  if (isApiError(error, 'OPPORTUNITY_DELETED'))
    return (
      <EmptyState title="This opportunity was deleted in Salesforce">
        <p>It no longer appears in the lists. {back}</p>
      </EmptyState>
    )
  if (isApiError(error, 'NOT_FOUND', 'VALIDATION_FAILED'))
    return (
      <EmptyState title="Opportunity not found">
        <p>This opportunity was not found or not shared with you. {back}</p>
      </EmptyState>
    )
  if (isApiError(error, 'MODULE_DISABLED'))
    return (
      <EmptyState title="CRM is turned off">
        <p>An admin has turned the CRM module off for this workspace.</p>
      </EmptyState>
    )
  return <QueryError error={error} onRetry={onRetry} />
}
