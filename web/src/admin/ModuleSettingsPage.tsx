import { Link, NavLink, Outlet } from 'react-router'

import { useCrmModule } from '../api/use-modules.js'
import { PageHeader } from '../components/PageHeader.js'
import { QueryError, Spinner } from '../components/QueryState.js'
import { moduleSettingsTabs } from './module-settings-tabs.js'

export function ModuleSettingsPage() {
  const crm = useCrmModule()
  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/admin/modules">Modules</Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">CRM</span>
      </nav>
      <PageHeader title="CRM Module Settings" description="Salesforce Opportunities for your workspace." />
      {crm.isLoading ? (
        <Spinner label="Loading" />
      ) : crm.error ? (
        <QueryError error={crm.error} />
      ) : (
        !crm.module?.enabled && (
          <p className="alert alert-info">
            The CRM module is disabled, so members do not see it. You can still set it up here.{' '}
            <Link to="/admin/modules">Enable it on the Modules page.</Link>
          </p>
        )
      )}
      {/* Tabs are links (each tab is a page with its own URL), so this is a nav with aria-current, not role=tablist. */}
      <nav className="tabs" aria-label="Module settings">
        {moduleSettingsTabs.map((tab) => (
          <NavLink key={tab.path} to={tab.path === '' ? '.' : tab.path} end={tab.path === ''}>
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <section className="tab-panel">
        <Outlet />
      </section>
    </>
  )
}
