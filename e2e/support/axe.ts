// Accessibility audit inside the journeys (issue 17 item 9): axe-core (pinned through @axe-core/playwright)
// runs the WCAG 2.x A/AA and WCAG 2.2 AA rules on the page as it is; a serious or critical violation fails
// the journey. Each audit's counts go to test-results/e2e/axe.jsonl so a reviewer sees them per page.
// Rule tags: https://github.com/dequelabs/axe-core/blob/develop/doc/API.md#axe-core-tags
import { appendFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'

import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'

const resultsDir = join(import.meta.dirname, '..', '..', 'test-results', 'e2e')
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
const failing = new Set(['serious', 'critical'])

export async function auditAccessibility(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze()
  const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 }
  for (const violation of results.violations) {
    const impact = violation.impact ?? 'minor'
    counts[impact] += violation.nodes.length
  }
  await mkdir(resultsDir, { recursive: true })
  await appendFile(join(resultsDir, 'axe.jsonl'), `${JSON.stringify({ page: name, ...counts })}\n`)
  const blocking = results.violations.filter((v) => failing.has(v.impact ?? ''))
  if (blocking.length > 0) {
    const lines = blocking.map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ')}`)
          .join('\n'),
    )
    throw new Error(`Accessibility violations on ${name}:\n${lines.join('\n')}`)
  }
}
