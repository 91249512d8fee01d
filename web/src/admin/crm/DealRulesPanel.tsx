// "Deal rules" on an opportunity's admin page: who may post in its feed and who may add people to it, each the
// deal's own (members, or admins only) or following the module default (Module Settings > Feed). The feed
// answer carries both rules in force, so this reads them from the same query the feed uses.
import { Button, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core'
import { useState, type FormEvent } from 'react'

import type { DealRules, WhoMayPost } from '../../../../contracts/api/feed.api.js'
import { useFeed, useUpdateDealRules } from '../../api/use-feed.js'
import { FormAlert } from '../../components/Field.js'
import { errorMessage, QueryError, Spinner } from '../../components/QueryState.js'
import { dealRuleChoice, followDefaultLabel } from '../../crm/rule-sentence.js'

type Choice = ReturnType<typeof dealRuleChoice>
type Save = ReturnType<typeof useUpdateDealRules>

const rulesOf = [
  { key: 'whoMayPost', label: 'Who may post in the feed' },
  { key: 'whoMayAddMembers', label: 'Who may add people' },
] as const

export function DealRulesPanel({ opportunityId }: { opportunityId: string }) {
  const feed = useFeed(opportunityId)
  // Above the form: a save re-keys the form with the new rules, and its answer must outlive that.
  const save = useUpdateDealRules(opportunityId)
  const rules = feed.data?.pages[0]?.rules
  return (
    <Paper component="section" withBorder p="md" aria-labelledby="crm-deal-rules-title">
      <Title order={3} id="crm-deal-rules-title" size="h4" mb={4}>
        Deal rules
      </Title>
      <Text c="dimmed" size="sm" mb="sm">
        This opportunity&apos;s own rules, or the module defaults from Module Settings &gt; Feed. Admins
        always may.
      </Text>
      {feed.isPending ? (
        <Spinner label="Loading the deal rules" />
      ) : !rules ? (
        <QueryError error={feed.error} onRetry={() => void feed.refetch()} />
      ) : (
        <DealRulesForm key={JSON.stringify(rules)} rules={rules} save={save} />
      )}
    </Paper>
  )
}

function DealRulesForm({ rules, save }: { rules: DealRules; save: Save }) {
  const [choices, setChoices] = useState<Record<keyof DealRules, Choice>>({
    whoMayPost: dealRuleChoice(rules.whoMayPost),
    whoMayAddMembers: dealRuleChoice(rules.whoMayAddMembers),
  })
  // Only the rules the admin changed are sent: each one sent is audited as a change.
  const changed = rulesOf.filter(({ key }) => choices[key] !== dealRuleChoice(rules[key]))
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (changed.length === 0) return
    const body: { whoMayPost?: WhoMayPost | null; whoMayAddMembers?: WhoMayPost | null } = {}
    for (const { key } of changed) body[key] = choices[key] === 'default' ? null : choices[key]
    save.mutate(body)
  }
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Deal rules">
      <Stack gap="sm" maw={480}>
        {rulesOf.map(({ key, label }) => (
          <NativeSelect
            key={key}
            label={label}
            value={choices[key]}
            onChange={(event) => {
              const value = event.currentTarget.value as Choice
              setChoices((now) => ({ ...now, [key]: value }))
              save.reset()
            }}
            data={[
              { value: 'default', label: followDefaultLabel(rules[key]) },
              { value: 'members', label: 'Members of the opportunity (and admins)' },
              { value: 'admins', label: 'Admins only' },
            ]}
          />
        ))}
        <FormAlert message={save.isError ? errorMessage(save.error) : null} />
        <FormAlert tone="success" message={save.isSuccess ? 'Deal rules saved.' : null} />
        <Group>
          <Button type="submit" loading={save.isPending} disabled={changed.length === 0}>
            Save deal rules
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
