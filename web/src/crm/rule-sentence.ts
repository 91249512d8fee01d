// Why a member cannot do something on a deal, in one sentence: the rule in force is "admins only", and it is
// either this deal's own rule (an admin set it on the opportunity) or the module setting every deal follows.
// Saying which tells the member whom to ask and about what (the server's 403 ADMINS_ONLY says the same).
import type { RuleInForce } from '../../../contracts/api/feed.api.js'

export type RuleAction = 'post' | 'add people'

/** The sentence for a refused member; null when the rule lets members do it. */
export function ruleSentence(rule: RuleInForce, action: RuleAction): string | null {
  if (rule.value !== 'admins') return null
  const doing = action === 'post' ? 'post on' : 'add people to'
  const where = rule.source === 'deal' ? 'set for this deal' : 'the module setting'
  return `Only admins can ${doing} this opportunity — ${where}.`
}

/** The admin's choice for one of a deal's rules: its own value, or null to follow the module default. */
export function dealRuleChoice(rule: RuleInForce): 'members' | 'admins' | 'default' {
  return rule.source === 'deal' ? rule.value : 'default'
}

/** The label of "follow the module default" in the admin's select, naming what that default is now. */
export function followDefaultLabel(rule: RuleInForce): string {
  return `Follow module default (currently: ${rule.moduleDefault === 'admins' ? 'Admins only' : 'Members'})`
}
