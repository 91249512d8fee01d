// The CRM Module Settings tabs. Each tab is its own route under /admin/modules/crm so it can be linked to.
import type { ReactNode } from 'react'

import { AllOpportunitiesTab } from '../crm/AllOpportunitiesTab.js'
import { MembersTab } from '../crm/MembersTab.js'
import { SetupTab } from '../crm/setup/SetupTab.js'
import { SyncLogTab } from '../crm/sync/SyncLogTab.js'

export interface ModuleSettingsTab {
  /** Relative to /admin/modules/crm; '' is the default tab. */
  path: string
  label: string
  element: ReactNode
}

export const moduleSettingsTabs: ModuleSettingsTab[] = [
  { path: '', label: 'Setup', element: <SetupTab /> },
  { path: 'opportunities', label: 'All Opportunities', element: <AllOpportunitiesTab /> },
  { path: 'members', label: 'Members', element: <MembersTab /> },
  { path: 'sync-log', label: 'Sync Log', element: <SyncLogTab /> },
]
