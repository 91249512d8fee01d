import { Button, Card, SimpleGrid, Text, Title } from '@mantine/core'
import { Link } from 'react-router'

import { useCrmModule } from '../api/use-modules.js'
import { useSession } from '../api/use-session.js'
import { EmptyState } from '../components/EmptyState.js'
import { PageHeader } from '../components/PageHeader.js'
import { QueryError, Spinner } from '../components/QueryState.js'
import { SalesforceAccountCard } from './SalesforceAccountCard.js'

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
        <SimpleGrid component="ul" cols={{ base: 1, sm: 2, lg: 3 }} p={0} m={0} style={{ listStyle: 'none' }}>
          <Card component="li" withBorder padding="md">
            <Title order={2}>CRM</Title>
            <Text c="dimmed" mt="xs" mb="md">
              Salesforce opportunities you work on.
            </Text>
            <Button component={Link} variant="default" to="/portal/crm/opportunities" w="fit-content">
              Open Opportunities
            </Button>
          </Card>
          <SalesforceAccountCard />
        </SimpleGrid>
      ) : (
        <EmptyState title="No apps yet">
          An admin has not turned on any modules for this workspace.
        </EmptyState>
      )}
    </>
  )
}
