// Shown on every admin page while the CRM connection needs attention, or while sync runs keep failing (stalled,
// interrupted or otherwise), with a way to look into it.
import { Link } from 'react-router'

import { useSyncHealth } from '../../api/use-sync.js'
import { Notice } from '../../components/Notice.js'

export function CrmAttentionBanner({ enabled }: { enabled: boolean }) {
  const health = useSyncHealth({ enabled })
  const data = health.data
  if (!enabled || !data) return null
  if (data.connectionStatus === 'needs_attention') {
    return (
      <Notice tone="warning" role="status">
        <strong>The Salesforce connection needs attention.</strong>
        {data.statusReason && <span>{data.statusReason}</span>}
        {data.statusHint && <span>{data.statusHint}</span>}
        <Link to="/admin/modules/crm">Open CRM Setup</Link>
      </Notice>
    )
  }
  if (!data.runsFailing) return null
  return (
    <Notice tone="warning" role="status">
      <strong>The Salesforce sync needs attention.</strong>
      <span>{data.runsFailing.message}</span>
      <span>{data.runsFailing.hint}</span>
      <Link to="/admin/modules/crm/sync-log">Open the Sync Log</Link>
    </Notice>
  )
}
