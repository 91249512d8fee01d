// Shown on every admin page while the CRM connection needs attention, with a way to fix it.
import { Link } from 'react-router'

import { useSyncHealth } from '../../api/use-sync.js'
import { Notice } from '../../components/Notice.js'

export function CrmAttentionBanner({ enabled }: { enabled: boolean }) {
  const health = useSyncHealth({ enabled })
  const data = health.data
  if (!enabled || data?.connectionStatus !== 'needs_attention') return null
  return (
    <Notice tone="warning" role="status">
      <strong>The Salesforce connection needs attention.</strong>
      {data.statusReason && <span>{data.statusReason}</span>}
      {data.statusHint && <span>{data.statusHint}</span>}
      <Link to="/admin/modules/crm">Open CRM Setup</Link>
    </Notice>
  )
}
