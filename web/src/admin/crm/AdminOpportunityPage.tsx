// /admin/crm/opportunities/:id — an opportunity as the admin sees it: its details and a Members tab.
import { Stack } from '@mantine/core'
import { useParams, useSearchParams } from 'react-router'

import { PageHeader } from '../../components/PageHeader.js'
import { Spinner } from '../../components/QueryState.js'
import { OpportunityFeed } from '../../crm/feed/OpportunityFeed.js'
import { OpportunityMembersPanel } from './OpportunityMembersPanel.js'
import {
  OpportunityLayout,
  OpportunityLoadError,
  OpportunityMain,
  OpportunityWidget,
} from '../../crm/OpportunityView.js'
import { useAdminOpportunity } from '../../api/use-opportunities.js'
import { Breadcrumb } from '../../components/Breadcrumb.js'
import { LinkTabs } from '../../components/LinkTabs.js'

const backTo = '/admin/modules/crm/opportunities'

export function AdminOpportunityPage() {
  const { id = '' } = useParams()
  const [searchParams] = useSearchParams()
  const tab = searchParams.get('tab') === 'members' ? 'members' : 'details'
  const query = useAdminOpportunity(id)

  if (query.isPending) return <Spinner label="Loading the opportunity" />
  if (query.isError)
    return (
      <>
        <PageHeader title="Opportunity" />
        <OpportunityLoadError
          error={query.error}
          backTo={backTo}
          backLabel="Back to All Opportunities"
          onRetry={() => void query.refetch()}
        />
      </>
    )

  const { opportunity, members } = query.data
  return (
    <Stack gap="md">
      <Breadcrumb parents={[{ to: backTo, label: 'All Opportunities' }]} current={opportunity.name} />
      <PageHeader title={opportunity.name} description={opportunity.accountName ?? undefined} />
      <LinkTabs
        label="Opportunity"
        tabs={[
          { to: '?', label: 'Details', current: tab === 'details' },
          { to: '?tab=members', label: `Members (${members.length})`, current: tab === 'members' },
        ]}
      />
      {tab === 'details' ? (
        <OpportunityLayout
          main={
            <>
              <OpportunityMain opportunity={opportunity} />
              <OpportunityFeed opportunityId={opportunity.id} source={opportunity.source} />
            </>
          }
          widget={<OpportunityWidget opportunity={opportunity} />}
        />
      ) : (
        <OpportunityMembersPanel id={opportunity.id} members={members} />
      )}
    </Stack>
  )
}
