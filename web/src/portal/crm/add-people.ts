// What the portal's "Add people" control shows: the type-ahead's options and what adding someone did.
import type { AddablePerson } from '../../../../contracts/api/members.api.js'

/** Select options: one per person, by id, so two colleagues with the same name stay two choices. */
export function personOptions(people: readonly AddablePerson[]): Array<{ value: string; label: string }> {
  const seen = new Map<string, number>()
  for (const person of people) seen.set(person.name, (seen.get(person.name) ?? 0) + 1)
  const nth = new Map<string, number>()
  return people.map((person) => {
    if ((seen.get(person.name) ?? 0) < 2) return { value: person.id, label: person.name }
    const index = (nth.get(person.name) ?? 0) + 1
    nth.set(person.name, index)
    // Mantine's Select filters and shows by label; equal labels would look like one person twice.
    return { value: person.id, label: `${person.name} (${index})` }
  })
}

/** The status line after an add: whether it changed anything. */
export function addedMessage(name: string, changed: boolean): string {
  return changed ? `${name} was added to this opportunity.` : `${name} was already on this opportunity.`
}
