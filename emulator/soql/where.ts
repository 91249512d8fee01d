// Compiles a WHERE clause into one predicate closure, evaluated once per row.
// The parser (@jetstreamapp/soql-parser-js) returns conditions as a right-leaning chain with paren counts, not a
// tree; rebuildTree() turns that back into a tree. SOQL requires parentheses whenever AND, OR and NOT are mixed
// ("Logical Operators", sforce_api_calls_soql_select_logicaloperators.htm), so mixing without them is rejected
// instead of guessing a precedence.

import type { Condition, ConditionWithValueQuery, WhereClause } from '@jetstreamapp/soql-parser-js'
import type { SfRecord } from '../org/model.js'
import { isConvertCurrency } from './convert-currency.js'
import { SoqlError, locate, unsupported, withPosition } from './errors.js'
import { resolveField, type ResolveContext } from './fields.js'
import { compileComparison } from './compare.js'

export type Predicate = (rec: SfRecord) => boolean

type Node =
  { kind: 'and' | 'or'; items: Node[] } | { kind: 'not'; item: Node } | { kind: 'cond'; cond: Condition }

type Tok = '(' | ')' | 'AND' | 'OR' | 'NOT' | { cond: ConditionWithValueQuery }

export function compileWhere(where: WhereClause, ctx: ResolveContext, whereAt: number): Predicate {
  const tree = rebuildTree(flatten(where))
  return compileNode(tree, ctx, whereAt)
}

type FieldCondition = Exclude<ConditionWithValueQuery, { openParen: number; field?: never; fn?: never }>

function isCondition(left: unknown): left is FieldCondition {
  return typeof left === 'object' && left !== null && ('field' in left || 'fn' in left)
}

function flatten(where: WhereClause): Tok[] {
  const out: Tok[] = []
  let node: WhereClause | undefined = where
  while (node) {
    const left: unknown = node.left
    const op = 'operator' in node ? node.operator : undefined
    if (op === 'NOT' && !isCondition(left)) {
      const open = (left as { openParen?: number } | null)?.openParen ?? 0
      for (let i = 0; i < open; i++) out.push('(')
      out.push('NOT')
      node = 'right' in node ? node.right : undefined
      continue
    }
    if (!isCondition(left)) throw new SoqlError('MALFORMED_QUERY', 'unexpected token: WHERE')
    for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(')
    out.push({ cond: left })
    for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')')
    if ((op === 'AND' || op === 'OR') && 'right' in node) {
      out.push(op)
      node = node.right
    } else {
      node = undefined
    }
  }
  return out
}

/** Recursive descent over the token list: expr := unary ((AND unary)* | (OR unary)*); unary := NOT unary | primary. */
function rebuildTree(tokens: Tok[]): Node {
  let pos = 0
  const peek = (): Tok | undefined => tokens[pos]
  const malformed = (tok: Tok | undefined): never => {
    const text =
      tok === undefined ? '<EOF>' : typeof tok === 'string' ? tok : (tok.cond as { field?: string }).field
    throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${text ?? ''}'`)
  }

  const parseUnary = (): { node: Node; bareNot: boolean } => {
    const tok = peek()
    if (tok === 'NOT') {
      pos++
      const inner = parseUnary()
      return { node: { kind: 'not', item: inner.node }, bareNot: true }
    }
    if (tok === '(') {
      pos++
      const node = parseExpr()
      if (peek() !== ')') malformed(peek())
      pos++
      return { node, bareNot: false }
    }
    if (tok !== undefined && typeof tok === 'object') {
      pos++
      const cond = tok.cond
      if ('valueQuery' in cond) throw unsupported('A semi-join or anti-join subquery in WHERE')
      return { node: { kind: 'cond', cond }, bareNot: false }
    }
    return malformed(tok)
  }

  const parseExpr = (): Node => {
    const first = parseUnary()
    const tok = peek()
    if (tok !== 'AND' && tok !== 'OR') return first.node
    // `NOT a AND b` is ambiguous (is b negated?): Salesforce demands parentheses when operators are mixed.
    if (first.bareNot) malformed(tok)
    const items = [first.node]
    while (peek() === tok) {
      pos++
      const next = parseUnary()
      items.push(next.node)
      const after = peek()
      if (next.bareNot && (after === 'AND' || after === 'OR')) malformed(after)
    }
    const after = peek()
    if (after === 'AND' || after === 'OR') malformed(after)
    return { kind: tok === 'AND' ? 'and' : 'or', items }
  }

  const tree = parseExpr()
  if (pos !== tokens.length) malformed(peek())
  return tree
}

function compileNode(node: Node, ctx: ResolveContext, whereAt: number): Predicate {
  switch (node.kind) {
    case 'cond':
      return compileCondition(node.cond, ctx, whereAt)
    case 'not': {
      const inner = compileNode(node.item, ctx, whereAt)
      return (rec) => !inner(rec)
    }
    case 'and': {
      const preds = node.items.map((n) => compileNode(n, ctx, whereAt))
      if (preds.length === 2) {
        const [a, b] = preds as [Predicate, Predicate]
        return (rec) => a(rec) && b(rec)
      }
      return (rec) => {
        for (const p of preds) if (!p(rec)) return false
        return true
      }
    }
    case 'or': {
      const preds = node.items.map((n) => compileNode(n, ctx, whereAt))
      return (rec) => {
        for (const p of preds) if (p(rec)) return true
        return false
      }
    }
  }
}

function compileCondition(cond: Condition, ctx: ResolveContext, whereAt: number): Predicate {
  if (!('field' in cond)) {
    if ('fn' in cond && isConvertCurrency(cond.fn.functionName ?? '')) {
      // "You can't use the convertCurrency() function in a WHERE clause. If you do, an error is returned."
      // (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_querying_currency_fields.htm);
      // the error's code and text are undocumented, so MALFORMED_QUERY with the emulator's own wording.
      throw new SoqlError('MALFORMED_QUERY', 'convertCurrency() cannot be used in a WHERE clause')
    }
    if ('fn' in cond) throw unsupported(`The function ${cond.fn.functionName ?? ''}() in WHERE`)
    throw new SoqlError('MALFORMED_QUERY', 'unexpected token: NOT')
  }
  const resolved = resolveField(cond.field, ctx, whereAt)
  if (!resolved.field.filterable) {
    // Long text areas cannot be filtered (SOQL reference, "Condition Expression Syntax"); wording UNCONFIRMED.
    const at = locate(ctx.soql, cond.field, whereAt)
    throw new SoqlError(
      'INVALID_FIELD',
      withPosition(ctx.soql, at, `field '${resolved.path}' can not be filtered in a query call`),
    )
  }
  const literalTypes = cond.literalType
  const values = cond.value
  const nValues =
    'dateLiteralVariable' in cond
      ? (cond as { dateLiteralVariable: number | number[] }).dateLiteralVariable
      : undefined
  return compileComparison({
    resolved,
    operator: cond.operator,
    values,
    literalTypes,
    nValues,
    now: ctx.ds.now(),
  })
}
