// /admin/crm/opportunities/:id — an opportunity as the admin sees it: its details and a Members tab.
import { Link, useParams, useSearchParams } from 'react-router'

import { PageHeader } from '../components/PageHeader.js'
import { Spinner } from '../components/QueryState.js'
import './crm.css'
import { OpportunityMembersPanel } from './OpportunityMembersPanel.js'
import { OpportunityLoadError, OpportunityMain, OpportunityWidget } from './OpportunityView.js'
import { useAdminOpportunity } from './use-opportunities.js'

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
    <div className="stack">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to={backTo}>All Opportunities</Link> <span aria-hidden="true">/</span> {opportunity.name}
      </nav>
      <PageHeader title={opportunity.name} description={opportunity.accountName ?? undefined} />
      <nav className="tabs" aria-label="Opportunity">
        <Link to="?" aria-current={tab === 'details' ? 'page' : undefined}>
          Details
        </Link>
        <Link to="?tab=members" aria-current={tab === 'members' ? 'page' : undefined}>
          Members ({members.length})
        </Link>
      </nav>
      {tab === 'details' ? (
        <div className="crm-detail">
          <OpportunityMain opportunity={opportunity} />
          <OpportunityWidget opportunity={opportunity} />
        </div>
      ) : (
        <OpportunityMembersPanel id={opportunity.id} members={members} />
      )}
    </div>
  )
}
