import { Button, Card, Group, SimpleGrid, Switch, Text, Title, VisuallyHidden } from '@mantine/core'
import { useState } from 'react'
import { Link } from 'react-router'

import type { ModuleSummary } from '../../../contracts/api/modules.api.js'
import { useModules, useSetModuleEnabled } from '../api/use-modules.js'
import { FormAlert } from '../components/Field.js'
import { PageHeader } from '../components/PageHeader.js'
import { QueryError, Spinner } from '../components/QueryState.js'
import { StatusBadge } from '../components/StatusBadge.js'

const descriptions: Record<ModuleSummary['id'], string> = {
  crm: 'Brings Salesforce Opportunities into the workspace. Members see the opportunities they work on.',
}

export function ModulesPage() {
  const modules = useModules()
  return (
    <>
      <PageHeader title="Modules" description="Turn workspace modules on or off and open their settings." />
      {modules.isPending ? (
        <Spinner label="Loading modules" />
      ) : modules.isError ? (
        <QueryError error={modules.error} onRetry={() => void modules.refetch()} />
      ) : (
        <SimpleGrid component="ul" cols={{ base: 1, sm: 2, lg: 3 }} p={0} m={0} style={{ listStyle: 'none' }}>
          {modules.data.modules.map((module) => (
            <ModuleCard key={module.id} module={module} />
          ))}
        </SimpleGrid>
      )}
    </>
  )
}

function ModuleCard({ module }: { module: ModuleSummary }) {
  const setEnabled = useSetModuleEnabled()
  const headingId = `module-${module.id}`
  // The switch follows the click in the same render (the mutation's pending state arrives a tick later,
  // and a controlled checkbox would flip back meanwhile); the refetched module settles it.
  const [requested, setRequested] = useState<boolean | null>(null)
  const enabled = requested ?? module.enabled
  return (
    <Card component="li" withBorder padding="md" aria-labelledby={headingId}>
      <Group justify="space-between" wrap="nowrap">
        <Title order={2} id={headingId}>
          {module.name}
        </Title>
        <StatusBadge tone={enabled ? 'success' : 'neutral'}>{enabled ? 'Enabled' : 'Disabled'}</StatusBadge>
      </Group>
      <Text c="dimmed" mt="xs">
        {descriptions[module.id]}
      </Text>
      <FormAlert message={setEnabled.isError ? setEnabled.error.message : null} />
      <Group justify="space-between" mt="md">
        <Switch
          checked={enabled}
          disabled={setEnabled.isPending}
          onChange={(event) => {
            const next = event.currentTarget.checked
            setRequested(next)
            setEnabled.mutate(
              { params: { id: module.id }, body: { enabled: next } },
              { onSettled: () => setRequested(null) },
            )
          }}
          label={
            <>
              Enable<VisuallyHidden> {module.name}</VisuallyHidden>
            </>
          }
        />
        <Button component={Link} variant="default" to={`/admin/modules/${module.id}`}>
          Module Settings
        </Button>
      </Group>
    </Card>
  )
}
