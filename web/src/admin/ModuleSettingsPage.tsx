import { Link, Outlet } from 'react-router'

import { useCrmModule } from '../api/use-modules.js'
import { PageHeader } from '../components/PageHeader.js'
import { QueryError, Spinner } from '../components/QueryState.js'
import { moduleSettingsTabs } from './module-settings-tabs.js'
import { Notice } from '../components/Notice.js'
import { Breadcrumb } from '../components/Breadcrumb.js'
import { LinkTabs } from '../components/LinkTabs.js'

export function ModuleSettingsPage() {
  const crm = useCrmModule()
  return (
    <>
      <Breadcrumb parents={[{ to: '/admin/modules', label: 'Modules' }]} current="CRM" />
      <PageHeader title="CRM Module Settings" description="Salesforce Opportunities for your workspace." />
      {crm.isLoading ? (
        <Spinner label="Loading" />
      ) : crm.error ? (
        <QueryError error={crm.error} />
      ) : (
        !crm.module?.enabled && (
          <Notice tone="info">
            The CRM module is disabled, so members do not see it. You can still set it up here.{' '}
            <Link to="/admin/modules">Enable it on the Modules page.</Link>
          </Notice>
        )
      )}
      <LinkTabs
        label="Module settings"
        tabs={moduleSettingsTabs.map((tab) => ({
          to: tab.path === '' ? '.' : tab.path,
          label: tab.label,
          end: tab.path === '',
        }))}
      />
      <section>
        <Outlet />
      </section>
    </>
  )
}
