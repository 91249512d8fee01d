import { Button } from '@mantine/core'
import { Link } from 'react-router'

import { useCrmModule } from '../api/use-modules.js'
import { useSession } from '../api/use-session.js'
import { EmptyState } from '../components/EmptyState.js'
import { PageHeader } from '../components/PageHeader.js'
import { QueryError, Spinner } from '../components/QueryState.js'

export function PortalHomePage() {
  const user = useSession().data?.user
  const crm = useCrmModule()
  return (
    <>
      <PageHeader title={`Welcome, ${user?.name ?? ''}`} description="Your workspace apps are listed here." />
      {crm.isLoading ? (
        <Spinner label="Loading apps" />
      ) : crm.error ? (
        <QueryError error={crm.error} />
      ) : crm.module?.enabled ? (
        <ul className="card-grid">
          <li className="card">
            <h2>CRM</h2>
            <p className="muted">Salesforce opportunities you work on.</p>
            <Button component={Link} variant="default" to="/portal/crm/opportunities">
              Open Opportunities
            </Button>
          </li>
        </ul>
      ) : (
        <EmptyState title="No apps yet">
          An admin has not turned on any modules for this workspace.
        </EmptyState>
      )}
    </>
  )
}
