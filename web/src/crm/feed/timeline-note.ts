// What the feed says about its change timeline when the opportunity was read live from Salesforce ("Cache data
// locally" off): the key index keeps no tracked fields and no LastModifiedBy, so the timeline can show only owner
// changes, deletions and restores, with when but not who (README, "Change timeline and notification email").
export function timelineNote(source: 'cache' | 'live'): string | null {
  if (source !== 'live') return null
  return (
    'This deal is read live from Salesforce (Cache data locally is off), so its timeline shows only owner ' +
    'changes, deletions and restores, with when but not who. Stage, amount and date changes appear once the ' +
    'cache is on.'
  )
}
