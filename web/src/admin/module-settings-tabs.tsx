// The CRM Module Settings tabs. Each tab is its own route under /admin/modules/crm so it can be linked to;
// later issues replace these placeholders with the real pages (setup, all opportunities, members, sync log).
import type { ReactNode } from 'react'

import { EmptyState } from '../components/EmptyState.js'

export interface ModuleSettingsTab {
  /** Relative to /admin/modules/crm; '' is the default tab. */
  path: string
  label: string
  element: ReactNode
}

export const moduleSettingsTabs: ModuleSettingsTab[] = [
  {
    path: '',
    label: 'Setup',
    element: (
      <EmptyState title="Connect Salesforce">
        Here you will link the company&apos;s Salesforce org: the Web Services URL, the authentication method
        and credentials, Test Connection and Save Settings.
      </EmptyState>
    ),
  },
  {
    path: 'opportunities',
    label: 'All Opportunities',
    element: (
      <EmptyState title="All Opportunities">
        Every opportunity synced from Salesforce will be listed here, with who can see each one.
      </EmptyState>
    ),
  },
  {
    path: 'members',
    label: 'Members',
    element: (
      <EmptyState title="Members">
        Here you will choose which workspace users work on which opportunities, and review suggested matches.
      </EmptyState>
    ),
  },
  {
    path: 'sync-log',
    label: 'Sync Log',
    element: (
      <EmptyState title="Sync Log">
        Each sync run with Salesforce will be recorded here: when it ran, what changed and any errors.
      </EmptyState>
    ),
  },
]
