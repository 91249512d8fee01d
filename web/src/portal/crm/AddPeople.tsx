// "Add people" on the member's opportunity page: a type-ahead over active colleagues by name when the rules let
// the viewer add members (the server says so, and checks again when adding), otherwise the sentence saying
// which rule keeps them from it.
import { Button, Group, Select, Stack, Text } from '@mantine/core'
import { useState } from 'react'

import { useAddablePeople, useAddMemberAsMember } from '../../api/use-opportunities.js'
import { Notice } from '../../components/Notice.js'
import { PersonAvatar } from '../../components/PersonAvatar.js'
import { Panel } from '../../components/Panel.js'
import { ruleSentence } from '../../crm/rule-sentence.js'
import { addedMessage, personOptions } from './add-people.js'

export function AddPeople({ opportunityId }: { opportunityId: string }) {
  const [open, setOpen] = useState(false)
  const [search, setSearch] = useState('')
  const [picked, setPicked] = useState<string | null>(null)
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null)
  const people = useAddablePeople(opportunityId, open ? search : '')
  const add = useAddMemberAsMember(opportunityId)
  if (!people.data) return null
  if (!people.data.canAdd)
    return (
      <Panel component="section" aria-labelledby="add-people-heading">
        <Text id="add-people-heading" fw={600}>
          People on this opportunity
        </Text>
        <Text size="sm" c="dimmed">
          {ruleSentence(people.data.rule, 'add people')}
        </Text>
      </Panel>
    )
  const options = personOptions(people.data.people)
  const names = new Map(people.data.people.map((person) => [person.id, person.name]))

  async function addPicked(userId: string | null) {
    if (!userId) return
    const name = names.get(userId) ?? 'This person'
    setPicked(null)
    setSearch('')
    setMessage(null)
    try {
      const result = await add.mutateAsync(userId)
      setMessage({ tone: 'success', text: addedMessage(name, result.changed) })
    } catch (error) {
      setMessage({ tone: 'error', text: error instanceof Error ? error.message : String(error) })
    }
  }

  return (
    <Panel component="section" aria-labelledby="add-people-heading">
      <Group justify="space-between">
        <Text id="add-people-heading" fw={600}>
          People on this opportunity
        </Text>
        {!open && (
          <Button size="compact-sm" variant="default" onClick={() => setOpen(true)}>
            Add people
          </Button>
        )}
      </Group>
      {open && (
        <Stack gap="xs">
          <Select
            label="Add a colleague"
            description="They can then see this opportunity and its feed."
            placeholder="Type a name"
            searchable
            clearable
            data={options}
            value={picked}
            searchValue={search}
            onSearchChange={setSearch}
            onChange={(value) => void addPicked(value)}
            filter={({ options: all }) => all}
            nothingFoundMessage={people.isFetching ? 'Searching…' : 'Nobody found'}
            disabled={add.isPending}
            renderOption={({ option }) => (
              <Group gap="xs">
                <PersonAvatar name={names.get(option.value) ?? option.label} size={20} />
                <span>{option.label}</span>
              </Group>
            )}
          />
          <Button size="compact-sm" variant="subtle" onClick={() => setOpen(false)} w="fit-content">
            Done
          </Button>
        </Stack>
      )}
      {message && (
        <Notice tone={message.tone} role="status">
          {message.text}
        </Notice>
      )}
    </Panel>
  )
}
