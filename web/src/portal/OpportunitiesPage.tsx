import { useCrmModule } from '../api/use-modules.js'
import { EmptyState } from '../components/EmptyState.js'
import { PageHeader } from '../components/PageHeader.js'
import { QueryError, Spinner } from '../components/QueryState.js'

export function OpportunitiesPage() {
  const crm = useCrmModule()
  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <span>CRM</span>
        <span aria-hidden="true">/</span>
        <span aria-current="page">Opportunities</span>
      </nav>
      <PageHeader title="Opportunities" />
      {crm.isLoading ? (
        <Spinner label="Loading" />
      ) : crm.error ? (
        <QueryError error={crm.error} />
      ) : crm.module?.enabled ? (
        <EmptyState title="Nothing here yet">
          Opportunities assigned to you will appear here once an admin connects Salesforce.
        </EmptyState>
      ) : (
        <EmptyState title="The CRM module is turned off">
          An admin can turn it on in the Admin Portal under Modules.
        </EmptyState>
      )}
    </>
  )
}
