// The guide to the Salesforce side (docs/connecting-salesforce.md), inside the product so the Setup tab can link
// to it wherever the module runs. The Markdown is the repository's own, bundled at build time and rendered with
// raw HTML off, so nothing outside the build reaches the page. Loaded only when opened (app/router.tsx).
import { Anchor, Stack, Typography } from '@mantine/core'
import MarkdownIt from 'markdown-it'
import { Link } from 'react-router'

import guide from '../../../../../docs/connecting-salesforce.md?raw'
import { useDocumentTitle } from '../../../components/use-document-title.js'

const html = new MarkdownIt({ html: false, linkify: true }).render(guide)

export function ConnectingSalesforceGuide() {
  useDocumentTitle('Connecting Salesforce')
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/admin/modules/crm">
        ← Back to Setup
      </Anchor>
      <Typography>
        <article dangerouslySetInnerHTML={{ __html: html }} />
      </Typography>
    </Stack>
  )
}
