// The opportunity detail shared by the member's detail page and the admin's opportunity page: the main area
// (name, account, description, key dates) and the right-hand CRM widget with the link to Salesforce.
import {
  Box,
  Button,
  Grid,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core'
import type { ReactNode } from 'react'
import { Link } from 'react-router'

import type { OpportunityDetail } from '../../../contracts/api/opportunities.api.js'
import { isApiError } from '../api/client.js'
import { EmptyState } from '../components/EmptyState.js'
import { Panel } from '../components/Panel.js'
import { QueryError } from '../components/QueryState.js'
import { Stat } from '../components/Stat.js'
import { formatDate, formatDateTime, formatMoney, formatPercent } from '../shared/format.js'
import { StatusBadge } from '../components/StatusBadge.js'

function statusBadge(o: OpportunityDetail) {
  if (o.isWon) return <StatusBadge tone="success">Won</StatusBadge>
  if (o.isClosed) return <StatusBadge>Lost</StatusBadge>
  return <StatusBadge tone="info">Open</StatusBadge>
}

/**
 * The detail's two columns: the main area and the widget beside it; on a phone one column with the key
 * details first (issue 17 item 8), then the description, people and feed.
 */
export function OpportunityLayout({ main, widget }: { main: ReactNode; widget: ReactNode }) {
  return (
    <Grid gutter="lg" align="flex-start">
      <Grid.Col span={{ base: 12, md: 8 }} order={{ base: 2, md: 1 }}>
        <Stack gap="md">{main}</Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }} order={{ base: 1, md: 2 }}>
        {widget}
      </Grid.Col>
    </Grid>
  )
}

export function OpportunityMain({ opportunity: o }: { opportunity: OpportunityDetail }) {
  return (
    <>
      <Panel>
        <Group gap="xs" fw={500}>
          {o.accountName ?? 'No account'} {statusBadge(o)}
        </Group>
        <Title order={2}>Description</Title>
        {o.description ? (
          <Text style={{ whiteSpace: 'pre-wrap' }}>{o.description}</Text>
        ) : (
          <Text c="dimmed">No description in Salesforce.</Text>
        )}
      </Panel>
      <Panel>
        <Title order={2}>Key dates</Title>
        <SimpleGrid component="dl" cols={{ base: 1, xs: 2, xl: 4 }} spacing="sm" m={0}>
          <Stat label="Close date" value={formatDate(o.closeDate)} />
          <Stat label="Created" value={formatDateTime(o.createdDate)} />
          <Stat label="Last modified in Salesforce" value={formatDateTime(o.lastModifiedDate)} />
          <Stat label="Last synced" value={syncedText(o)} />
        </SimpleGrid>
        {o.leadSource && (
          <Text size="sm" c="dimmed">
            Lead source: {o.leadSource}
          </Text>
        )}
      </Panel>
    </>
  )
}

// With "Cache data locally" off nothing is synced: the record was fetched from Salesforce for this page.
function syncedText(o: OpportunityDetail): string {
  return o.source === 'live' ? 'Read live from Salesforce' : formatDateTime(o.lastSyncedAt)
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group
      gap="xs"
      wrap="nowrap"
      align="baseline"
      py={6}
      style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
    >
      <Text component="dt" c="dimmed" w={130} style={{ flex: 'none' }}>
        {label}
      </Text>
      <Text component="dd" fw={500} m={0} style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Group>
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
    <Paper
      component="aside"
      aria-labelledby="crm-widget-title"
      withBorder
      shadow="xs"
      p="lg"
      pos={{ base: 'static', md: 'sticky' }}
      top="calc(var(--app-shell-header-offset, 0rem) + var(--mantine-spacing-md))"
    >
      <Stack gap="sm">
        <Title order={2} id="crm-widget-title">
          Key details
        </Title>
        {children}
        <Box component="dl" m={0}>
          <Row label="Amount">{editable('Amount', 'Amount', formatMoney(o.amount, o.currencyIsoCode))}</Row>
          <Row label="Stage">{editable('StageName', 'Stage', o.stageName ?? '—')}</Row>
          <Row label="Probability">
            {editable('Probability', 'Probability', formatPercent(o.probability))}
          </Row>
          <Row label="Close Date">{editable('CloseDate', 'Close Date', formatDate(o.closeDate))}</Row>
          <Row label="Account">{o.accountName ?? '—'}</Row>
          <Row label="Owner">{o.ownerName ?? '—'}</Row>
          <Row label="Type">{editable('Type', 'Type', o.type ?? '—')}</Row>
          <Row label="Next Step">{editable('NextStep', 'Next Step', o.nextStep ?? '—')}</Row>
          <Row label="Forecast Category">{o.forecastCategoryName ?? '—'}</Row>
          <Row label="Last synced">{syncedText(o)}</Row>
        </Box>
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
            <VisuallyHidden> (opens in a new tab)</VisuallyHidden>
          </Button>
        )}
      </Stack>
    </Paper>
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
        <Text>It no longer appears in the lists. {back}</Text>
      </EmptyState>
    )
  if (isApiError(error, 'NOT_FOUND', 'VALIDATION_FAILED'))
    return (
      <EmptyState title="Opportunity not found">
        <Text>This opportunity was not found or not shared with you. {back}</Text>
      </EmptyState>
    )
  if (isApiError(error, 'MODULE_DISABLED'))
    return (
      <EmptyState title="CRM is turned off">
        <Text>An admin has turned the CRM module off for this workspace.</Text>
      </EmptyState>
    )
  return <QueryError error={error} onRetry={onRetry} />
}
