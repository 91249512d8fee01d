import { describe, expect, it } from 'vitest'

import type { RuleInForce } from '../../../contracts/api/feed.api.js'
import { dealRuleChoice, followDefaultLabel, ruleSentence } from './rule-sentence.js'

const rule = (value: RuleInForce['value'], source: RuleInForce['source'], moduleDefault = value) => ({
  value,
  source,
  moduleDefault,
})

describe('why a member cannot post or add people', () => {
  it('says nothing when members may', () => {
    expect(ruleSentence(rule('members', 'deal', 'admins'), 'post')).toBeNull()
    expect(ruleSentence(rule('members', 'module'), 'add people')).toBeNull()
  })

  it("names the deal's own rule or the module setting", () => {
    expect(ruleSentence(rule('admins', 'deal', 'members'), 'post')).toBe(
      'Only admins can post on this opportunity — set for this deal.',
    )
    expect(ruleSentence(rule('admins', 'module'), 'post')).toBe(
      'Only admins can post on this opportunity — the module setting.',
    )
    expect(ruleSentence(rule('admins', 'deal', 'members'), 'add people')).toBe(
      'Only admins can add people to this opportunity — set for this deal.',
    )
    expect(ruleSentence(rule('admins', 'module'), 'add people')).toBe(
      'Only admins can add people to this opportunity — the module setting.',
    )
  })
})

describe("the admin's select for a deal rule", () => {
  it("shows the deal's own value, or 'default' when it follows the module", () => {
    expect(dealRuleChoice(rule('admins', 'deal', 'members'))).toBe('admins')
    expect(dealRuleChoice(rule('members', 'deal', 'admins'))).toBe('members')
    expect(dealRuleChoice(rule('admins', 'module'))).toBe('default')
  })

  it('names the module default it would follow', () => {
    expect(followDefaultLabel(rule('admins', 'deal', 'members'))).toBe(
      'Follow module default (currently: Members)',
    )
    expect(followDefaultLabel(rule('members', 'module', 'admins'))).toBe(
      'Follow module default (currently: Admins only)',
    )
  })
})
