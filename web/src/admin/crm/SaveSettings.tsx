// The end of a settings form: the save's error or "saved" line, then its button (use-settings-form.ts).
import { Button } from '@mantine/core'

import { FormAlert } from '../../components/Field.js'
import { Notice } from '../../components/Notice.js'
import type { SettingsSaveState } from './use-settings-form.js'

export function SaveSettings(props: { form: SettingsSaveState; saved: string; label: string }) {
  return (
    <>
      <FormAlert message={props.form.message} />
      {props.form.saved && (
        <Notice tone="success" role="status">
          {props.saved}
        </Notice>
      )}
      <div>
        <Button type="submit" loading={props.form.saving}>
          {props.label}
        </Button>
      </div>
    </>
  )
}
