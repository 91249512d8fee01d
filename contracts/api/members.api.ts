// Who works on which opportunity: admin views of an opportunity's members, adding and removing them (one or
// in bulk), suggestions from Salesforce owner and team emails, the automatic-assignment setting, and an
// explanation of why a user can see an opportunity. All admin-only.
import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'
import { RuleInForceSchema } from './feed.api.js'
import { OpportunityDetailSchema, OpportunityIdParams, SalesforceIdSchema } from './opportunities.api.js'

const UserIdSchema = z.uuid('Not a valid user id.')

export const MemberUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(['admin', 'member']),
  isActive: z.boolean(),
})
export type MemberUser = z.infer<typeof MemberUserSchema>

/**
 * One member and every way they got the opportunity. `isManual`: added by an admin (removable here).
 * `viaOwnerRule` / `viaTeamRule`: added by "assign owners and team members automatically"; these follow
 * Salesforce and go away by themselves when the rule stops holding or the setting is turned off.
 */
export const OpportunityMemberSchema = z.object({
  user: MemberUserSchema,
  isManual: z.boolean(),
  manualAddedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  manualAddedAt: z.string().nullable(),
  viaOwnerRule: z.boolean(),
  viaTeamRule: z.boolean(),
  autoAddedAt: z.string().nullable(),
})
export type OpportunityMember = z.infer<typeof OpportunityMemberSchema>

const MemberParams = z.strictObject({ id: SalesforceIdSchema, userId: UserIdSchema })

export const getOpportunityForAdmin = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/opportunities/:id',
  access: 'admin',
  tag: 'opportunity members',
  summary: "An opportunity's details with its members; 404 unknown, 410 OPPORTUNITY_DELETED",
  params: OpportunityIdParams,
  response: z.object({ opportunity: OpportunityDetailSchema, members: z.array(OpportunityMemberSchema) }),
})

export const listOpportunityMembers = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/opportunities/:id/members',
  access: 'admin',
  tag: 'opportunity members',
  summary: 'The users assigned to an opportunity, with how each got it',
  params: OpportunityIdParams,
  response: z.object({ members: z.array(OpportunityMemberSchema) }),
})

export const addOpportunityMember = defineEndpoint({
  method: 'POST',
  path: '/api/admin/crm/opportunities/:id/members',
  access: 'admin',
  tag: 'opportunity members',
  summary: 'Assign a user manually (idempotent: `changed` is false when they already were)',
  params: OpportunityIdParams,
  body: z.strictObject({ userId: UserIdSchema }),
  response: z.object({ member: OpportunityMemberSchema, changed: z.boolean() }),
})

export const addMemberAsMember = defineEndpoint({
  method: 'POST',
  path: '/api/crm/opportunities/:id/members',
  access: 'user',
  tag: 'opportunity members',
  summary:
    'Someone on a deal adds a colleague to it, when the feed settings let members add members (403 when only ' +
    'admins may; 404 unless on the deal; admins always may)',
  params: OpportunityIdParams,
  body: z.strictObject({ userId: UserIdSchema }),
  response: z.object({ member: OpportunityMemberSchema, changed: z.boolean() }),
})

/** Someone the viewer may add to a deal: what a member may know of a colleague (no email). */
export const AddablePersonSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** For the avatar: the first letters of the first and last word of the name. */
  initials: z.string(),
})
export type AddablePerson = z.infer<typeof AddablePersonSchema>

export const listAddablePeople = defineEndpoint({
  method: 'GET',
  path: '/api/crm/opportunities/:id/addable-people',
  access: 'user',
  tag: 'opportunity members',
  summary:
    "The portal's 'Add people' type-ahead: whether the viewer may add members to this deal (the feed settings; " +
    'admins always may) and, if so, active users not on it whose name matches (20 at most; id, name and ' +
    'initials only, searched by name, never by email); 404 unless on the deal',
  params: OpportunityIdParams,
  query: z.strictObject({ search: z.string().trim().max(200).optional() }),
  response: z.object({
    canAdd: z.boolean(),
    /** The deal's "who may add members" rule in force, and whether it is the deal's own or the module default. */
    rule: RuleInForceSchema,
    people: z.array(AddablePersonSchema),
  }),
})

export const removeOpportunityMember = defineEndpoint({
  method: 'DELETE',
  path: '/api/admin/crm/opportunities/:id/members/:userId',
  access: 'admin',
  tag: 'opportunity members',
  summary: 'Remove a manual assignment; `remaining` is the membership an automatic rule still grants, if any',
  params: MemberParams,
  response: z.object({ changed: z.boolean(), remaining: OpportunityMemberSchema.nullable() }),
})

export const bulkChangeMembers = defineEndpoint({
  method: 'POST',
  path: '/api/admin/crm/opportunities/members/bulk',
  access: 'admin',
  tag: 'opportunity members',
  summary: 'Add or remove one user (manual assignment) on up to 500 opportunities at once',
  body: z.strictObject({
    opportunityIds: z.array(SalesforceIdSchema).min(1, 'Select at least one opportunity.').max(500),
    userId: UserIdSchema,
    action: z.enum(['add', 'remove']),
  }),
  response: z.object({
    /** Opportunities whose manual assignment changed. */
    changed: z.number(),
    /** Already in the requested state. */
    unchanged: z.number(),
    /** Ids that are unknown or deleted in Salesforce; nothing was done for them. */
    notFound: z.array(z.string()),
  }),
})

/** The largest assignment file the import takes, in characters (a file of at most this many bytes fits). */
export const ASSIGNMENT_CSV_MAX_CHARS = 2_000_000
/** The most rows (besides the header) one assignment file may have. */
export const ASSIGNMENT_CSV_MAX_ROWS = 10_000

export const importAssignments = defineEndpoint({
  method: 'POST',
  path: '/api/admin/crm/opportunities/members/import',
  access: 'admin',
  tag: 'opportunity members',
  summary: 'Import manual assignments from CSV (email,opportunity_id): all rows or none; dryRun only checks',
  body: z.strictObject({
    csv: z
      .string()
      .min(1, 'The file is empty.')
      .max(ASSIGNMENT_CSV_MAX_CHARS, 'The file is larger than 2 MB. Split it into smaller files.'),
    dryRun: z.boolean(),
  }),
  response: z.object({
    dryRun: z.boolean(),
    rows: z.number(),
    /** New manual assignments (in a dry run: that the import would add). */
    added: z.number(),
    unchanged: z.number(),
    /** Every bad line; when there is one, nothing was written. */
    errors: z.array(z.object({ line: z.number(), message: z.string() })),
  }),
})

/**
 * Every assignment as CSV (`text/csv`, an attachment): email, opportunity_id, opportunity_name, source (manual or
 * automatic) of active users on opportunities that are not deleted. Cells that a spreadsheet would run as a
 * formula start with an apostrophe; the import takes it off again, so an exported file imports unchanged.
 */
export const exportAssignments = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/opportunities/members/export',
  access: 'admin',
  tag: 'opportunity members',
  summary: 'Export every assignment as CSV (email,opportunity_id,opportunity_name,source), streamed',
})

export const SuggestionSchema = z.object({
  user: MemberUserSchema,
  /** Why: the user's email equals the Salesforce owner's and/or a team member's (any case). */
  reasons: z.array(z.enum(['owner', 'team'])),
  /** Team roles (OpportunityTeamMember.TeamMemberRole) when the match is a team member. */
  teamRoles: z.array(z.string()),
  /** Already a member through the automatic rule; accepting makes it a manual assignment too. */
  isAutomaticMember: z.boolean(),
})
export type Suggestion = z.infer<typeof SuggestionSchema>

export const listMemberSuggestions = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/opportunities/:id/member-suggestions',
  access: 'admin',
  tag: 'opportunity members',
  summary: 'Active users matching the Salesforce owner or a team member by email, not yet manual members',
  params: OpportunityIdParams,
  response: z.object({ suggestions: z.array(SuggestionSchema) }),
})

export const acceptMemberSuggestions = defineEndpoint({
  method: 'POST',
  path: '/api/admin/crm/opportunities/:id/member-suggestions/accept',
  access: 'admin',
  tag: 'opportunity members',
  summary: 'Add suggested users as manual members: the listed ones, or every current suggestion',
  params: OpportunityIdParams,
  body: z.strictObject({ userIds: z.array(UserIdSchema).min(1).max(100).optional() }),
  response: z.object({ added: z.array(z.string()), members: z.array(OpportunityMemberSchema) }),
})

export const accessReasons = ['admin', 'manual', 'owner_rule', 'team_rule'] as const
export const accessBlockers = ['user_inactive', 'module_disabled', 'opportunity_deleted'] as const

export const explainAccess = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/access-explanation',
  access: 'admin',
  tag: 'opportunity members',
  summary: 'Why a user can (or cannot) see an opportunity',
  query: z.strictObject({ userId: UserIdSchema, opportunityId: SalesforceIdSchema }),
  response: z.object({
    canSee: z.boolean(),
    /** Every grant that applies, strongest first. Empty: the user sees it nowhere. */
    reasons: z.array(z.enum(accessReasons)),
    /** What stops the grants from working even if there are some. */
    blockers: z.array(z.enum(accessBlockers)),
    /** The user's email matches the owner or a team member, but automatic assignment is off. */
    ruleWouldMatch: z.array(z.enum(['owner', 'team'])),
    /** One sentence for people, e.g. "Ann can see it: added by Root Admin on …". */
    explanation: z.string(),
  }),
})

export const AssignmentSettingsSchema = z.object({
  autoAssign: z.boolean(),
  updatedAt: z.string(),
  updatedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
})

export const getAssignmentSettings = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/assignment-settings',
  access: 'admin',
  tag: 'opportunity members',
  summary: 'The "assign owners and team members automatically" setting',
  response: z.object({ settings: AssignmentSettingsSchema }),
})

export const updateAssignmentSettings = defineEndpoint({
  method: 'PUT',
  path: '/api/admin/crm/assignment-settings',
  access: 'admin',
  tag: 'opportunity members',
  summary: 'Turn automatic assignment on (applied at once and on every sync) or off (automatic ones removed)',
  body: z.strictObject({ autoAssign: z.boolean() }),
  response: z.object({
    settings: AssignmentSettingsSchema,
    /** What applying the change did right away; manual assignments are never touched. */
    applied: z.object({ added: z.number(), removed: z.number() }),
  }),
})

export const listAssignableUsers = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/assignable-users',
  access: 'admin',
  tag: 'opportunity members',
  summary: 'Type-ahead over active users by name or email (20 at most)',
  query: z.strictObject({
    search: z.string().trim().max(200).optional(),
    /** When given, each user says whether they already are a member of it. */
    opportunityId: SalesforceIdSchema.optional(),
  }),
  response: z.object({
    users: z.array(MemberUserSchema.extend({ isMember: z.boolean().nullable() })),
  }),
})
