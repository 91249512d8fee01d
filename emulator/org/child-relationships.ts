// Child relationships of the emulated objects, shared by describe (childRelationships) and the SOQL engine
// (parent-to-child subqueries, `SELECT Id, (SELECT Id FROM OpportunityTeamMembers) FROM Opportunity`).
// Names from the Object Reference (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/):
// Account.Opportunities, Account.ChildAccounts (ParentId), Opportunity.OpportunityTeamMembers (deleted with the
// opportunity, record-store.ts), User.ManagedUsers (ManagerId). The owner and team-member lookups to User have no
// relationship name a subquery could use (null, as describe lists such lookups; UNCONFIRMED for these fields).

export interface ChildRelationship {
  childSObject: string
  field: string
  relationshipName: string | null
  cascadeDelete: boolean
}

const rel = (
  childSObject: string,
  field: string,
  relationshipName: string | null,
  cascadeDelete = false,
) => ({
  childSObject,
  field,
  relationshipName,
  cascadeDelete,
})

const CHILD_RELATIONSHIPS: Record<string, ChildRelationship[]> = {
  Account: [rel('Account', 'ParentId', 'ChildAccounts'), rel('Opportunity', 'AccountId', 'Opportunities')],
  Opportunity: [rel('OpportunityTeamMember', 'OpportunityId', 'OpportunityTeamMembers', true)],
  User: [
    rel('Account', 'OwnerId', null),
    rel('Opportunity', 'OwnerId', null),
    rel('OpportunityTeamMember', 'UserId', null),
    rel('User', 'ManagerId', 'ManagedUsers'),
  ],
}

export function childRelationshipsOf(objectName: string): readonly ChildRelationship[] {
  return CHILD_RELATIONSHIPS[objectName] ?? []
}

/** The named child relationship of `objectName`, matched without regard to case as SOQL names are. */
export function findChildRelationship(objectName: string, name: string): ChildRelationship | undefined {
  const wanted = name.toLowerCase()
  return childRelationshipsOf(objectName).find((r) => r.relationshipName?.toLowerCase() === wanted)
}
