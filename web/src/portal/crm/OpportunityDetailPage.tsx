// /portal/crm/opportunities/:id — one of the member's opportunities: the main area and the CRM widget.
// Someone else's opportunity answers 404 ("not found or not shared with you"); a deleted one says so.
import { Stack } from '@mantine/core'
import { useParams } from 'react-router'

import { PageHeader } from '../../components/PageHeader.js'
import { Spinner } from '../../components/QueryState.js'
import { OpportunityFeed } from '../../crm/feed/OpportunityFeed.js'
import { OpportunityLayout, OpportunityLoadError, OpportunityMain } from '../../crm/OpportunityView.js'
import { AddPeople } from './AddPeople.js'
import { EditableKeyDetails } from './EditableKeyDetails.js'
import { useMyOpportunity } from '../../api/use-opportunities.js'
import { Breadcrumb } from '../../components/Breadcrumb.js'

const backTo = '/portal/crm/opportunities'

export function OpportunityDetailPage() {
  const { id = '' } = useParams()
  const query = useMyOpportunity(id)

  if (query.isPending) return <Spinner label="Loading the opportunity" />
  if (query.isError)
    return (
      <>
        <PageHeader title="Opportunity" />
        <OpportunityLoadError
          error={query.error}
          backTo={backTo}
          backLabel="Back to my opportunities"
          onRetry={() => void query.refetch()}
        />
      </>
    )

  const { opportunity } = query.data
  return (
    <Stack gap="md">
      <Breadcrumb parents={[{ to: backTo, label: 'My opportunities' }]} current={opportunity.name} />
      <PageHeader title={opportunity.name} description={opportunity.accountName ?? undefined} />
      <OpportunityLayout
        main={
          <>
            <OpportunityMain opportunity={opportunity} />
            <AddPeople opportunityId={opportunity.id} />
            <OpportunityFeed opportunityId={opportunity.id} source={opportunity.source} />
          </>
        }
        widget={<EditableKeyDetails opportunity={opportunity} />}
      />
    </Stack>
  )
}
