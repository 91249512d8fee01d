// The CRM Module Settings tabs. Each tab is its own route under /admin/modules/crm so it can be linked to,
// and its code loads when it is first opened (app/router.tsx).
import type { ComponentType } from 'react'

export interface ModuleSettingsTab {
  /** Relative to /admin/modules/crm; '' is the default tab. */
  path: string
  label: string
  load: () => Promise<ComponentType>
}

export const moduleSettingsTabs: ModuleSettingsTab[] = [
  { path: '', label: 'Setup', load: () => import('./crm/setup/SetupTab.js').then((m) => m.SetupTab) },
  {
    path: 'opportunities',
    label: 'All Opportunities',
    load: () => import('./crm/AllOpportunitiesTab.js').then((m) => m.AllOpportunitiesTab),
  },
  { path: 'members', label: 'Members', load: () => import('./crm/MembersTab.js').then((m) => m.MembersTab) },
  { path: 'edits', label: 'Edits', load: () => import('./crm/EditsTab.js').then((m) => m.EditsTab) },
  {
    path: 'feed',
    label: 'Feed',
    load: () => import('./crm/FeedSettingsTab.js').then((m) => m.FeedSettingsTab),
  },
  {
    path: 'sync-log',
    label: 'Sync Log',
    load: () => import('./crm/sync/SyncLogTab.js').then((m) => m.SyncLogTab),
  },
]
