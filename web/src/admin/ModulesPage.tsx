import { Button } from '@mantine/core'
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
        <ul className="card-grid">
          {modules.data.modules.map((module) => (
            <ModuleCard key={module.id} module={module} />
          ))}
        </ul>
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
    <li className="card" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId}>{module.name}</h2>
        <StatusBadge tone={enabled ? 'success' : 'neutral'}>{enabled ? 'Enabled' : 'Disabled'}</StatusBadge>
      </div>
      <p className="muted">{descriptions[module.id]}</p>
      <FormAlert message={setEnabled.isError ? setEnabled.error.message : null} />
      <div className="card-footer">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={enabled}
            disabled={setEnabled.isPending}
            onChange={(event) => {
              const next = event.target.checked
              setRequested(next)
              setEnabled.mutate(
                { params: { id: module.id }, body: { enabled: next } },
                { onSettled: () => setRequested(null) },
              )
            }}
          />
          <span>
            Enable<span className="visually-hidden"> {module.name}</span>
          </span>
        </label>
        <Button component={Link} variant="default" to={`/admin/modules/${module.id}`}>
          Module Settings
        </Button>
      </div>
    </li>
  )
}
