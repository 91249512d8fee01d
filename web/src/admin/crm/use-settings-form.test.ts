// The settings forms' save state over a real TanStack Query mutation (MutationObserver, what useMutation runs
// on): the server's field errors and summary line, "saved", and a new save clearing the previous answer.
import { MutationObserver, QueryClient } from '@tanstack/react-query'
import { describe, expect, it, vi } from 'vitest'

import { ApiError } from '../../api/client.js'
import { settingsSaveState, submitSettings, type SettingsSave } from './use-settings-form.js'

interface Values {
  label: string
}

/** A mutation whose server refuses the label "bad" as a field error and "down" as an outage. */
function settingsMutation() {
  const observer = new MutationObserver<Values, Error, Values>(new QueryClient(), {
    mutationFn: async (values) => {
      if (values.label === 'bad')
        throw new ApiError(400, 'VALIDATION_FAILED', 'Invalid input', { label: 'Too short' })
      if (values.label === 'down') throw new ApiError(503, 'CRM_UNAVAILABLE', 'Salesforce is not reachable.')
      return values
    },
  })
  // As useMutation does: a failed save ends up in the result, not as a rejected promise.
  const save = (): SettingsSave<Values> => ({
    ...observer.getCurrentResult(),
    mutate: (values) => void observer.mutate(values).catch(() => undefined),
  })
  return { save, state: () => settingsSaveState(observer.getCurrentResult()) }
}

describe('settings form save state', () => {
  it('shows the fields the server refused, then clears them and says saved after a good save', async () => {
    const m = settingsMutation()
    expect(m.state()).toEqual({ errors: {}, message: null, saved: false, saving: false })

    submitSettings(m.save(), { label: 'bad' })
    await vi.waitFor(() =>
      expect(m.state()).toEqual({
        errors: { label: 'Too short' },
        message: 'Check the highlighted fields.',
        saved: false,
        saving: false,
      }),
    )

    submitSettings(m.save(), { label: 'good' })
    // The previous answer is gone at once, before the new one arrives.
    expect(m.state().errors).toEqual({})
    expect(m.state().message).toBeNull()
    await vi.waitFor(() =>
      expect(m.state()).toEqual({ errors: {}, message: null, saved: true, saving: false }),
    )
  })

  it("keeps the server's own message when it is not about the fields", async () => {
    const m = settingsMutation()
    submitSettings(m.save(), { label: 'down' })
    await vi.waitFor(() =>
      expect(m.state()).toMatchObject({ message: 'Salesforce is not reachable.', saved: false }),
    )
  })
})
