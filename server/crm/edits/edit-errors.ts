// Salesforce's answers to a portal edit, in plain words: each SalesforceError kind becomes one AppError the UI
// can act on. Refusals of the values (422 CRM_REJECTED) carry Salesforce's own message on the field it named
// (`values.<Field>`, as a 400 names its fields);
// anything that means "try again later" (down, API limit, connection needs attention) is 503 CRM_UNAVAILABLE
// with a hint. The kinds come from salesforce-errors.ts, which cites the Salesforce documentation.
import { AppError } from '../../errors.js'
import { toSalesforceError } from '../../providers/salesforce/salesforce-api.js'
import { ConnectionUnavailableError, UserLinkNeedsReconnectError } from '../connection/crm-session.js'

const NOT_SAVED = 'Your change was not saved.'

/** Whether an answer is final (kept for a double submit) or the user may simply try again with the same key. */
export function isFinalAnswer(error: AppError): boolean {
  return error.code !== 'CRM_UNAVAILABLE'
}

/**
 * `asUser`: the write ran as the user's own Salesforce account ("Connect my Salesforce account"), so a refusal
 * of access is theirs in Salesforce, not the integration user's.
 */
export function toEditError(
  err: unknown,
  editedFields: readonly string[],
  options: { asUser?: boolean } = {},
): AppError {
  if (err instanceof AppError) return err
  if (err instanceof ConnectionUnavailableError) {
    return new AppError('CRM_UNAVAILABLE', `${NOT_SAVED} ${err.message} ${err.hint}`)
  }
  if (err instanceof UserLinkNeedsReconnectError) {
    return new AppError(
      'CRM_UNAVAILABLE',
      `${NOT_SAVED} Salesforce no longer accepts your connected Salesforce account (revoked or expired). Connect it again under "Salesforce account" on the portal home page, or disconnect it there to edit as the integration user.`,
    )
  }
  const error = toSalesforceError(err)
  const onFields = (message: string) => {
    const named = error.fields.filter((field) => editedFields.includes(field))
    const fields = named.length > 0 ? named : editedFields.length === 1 ? editedFields : []
    return fields.length > 0
      ? Object.fromEntries(fields.map((field) => [`values.${field}`, message]))
      : undefined
  }
  switch (error.kind) {
    case 'validation':
      // The rule's own message, as Salesforce shows it on its edit page.
      return new AppError('CRM_REJECTED', error.message, onFields(error.message))
    case 'read_only_field':
    case 'bad_picklist_value':
      return new AppError('CRM_REJECTED', `${error.message} ${error.hint}`, onFields(error.message))
    case 'invalid_request':
      // Other refusals of a value (too long, wrong type, required): Salesforce's message on its field.
      return new AppError('CRM_REJECTED', error.message, onFields(error.message))
    case 'deleted':
    case 'not_found':
      return new AppError('OPPORTUNITY_DELETED', `This opportunity was deleted in Salesforce. ${NOT_SAVED}`)
    case 'request_limit_exceeded':
      return new AppError(
        'CRM_UNAVAILABLE',
        `${NOT_SAVED} Salesforce refused it: the org's daily API request limit is used up. Try again later; an admin can see the allowance in Salesforce Setup > Company Information.`,
      )
    case 'locked':
      return new AppError('CRM_UNAVAILABLE', `${NOT_SAVED} ${error.message} ${error.hint}`)
    case 'no_access':
      if (options.asUser)
        return new AppError(
          'CRM_REJECTED',
          `You may not edit this opportunity in Salesforce: your Salesforce user has no edit access to it (${error.salesforceCode ?? 'insufficient access'}). Ask the record's owner or your Salesforce admin for access. ${NOT_SAVED}`,
        )
      return new AppError(
        'CRM_UNAVAILABLE',
        `${NOT_SAVED} The integration user may not change this opportunity in Salesforce. Ask an admin to give it Edit access to Opportunities.`,
      )
    default:
      return new AppError(
        'CRM_UNAVAILABLE',
        `${NOT_SAVED} Salesforce could not be reached or answered with an error (${error.message}). Try again in a few minutes.`,
      )
  }
}
