// Module Settings > Members: "Import assignments (CSV)". The admin picks a file, a dry run checks every line
// at once (nothing is written) and the page shows what the import would do; "Import N assignments" then writes
// them all in one transaction. A file with any bad line writes nothing, which the server guarantees
// (POST /api/admin/crm/opportunities/members/import) and the page says. "Export assignments (CSV)" downloads
// every assignment in a file the import takes back (with opportunity_name and source beside).
import { Button, Code, FileInput, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core'
import { IconDownload, IconFileTypeCsv } from '@tabler/icons-react'
import { createColumnHelper } from '@tanstack/react-table'
import { useState } from 'react'

import { exportAssignments } from '../../../../../contracts/api/members.api.js'
import { useImportAssignments } from '../../../api/use-opportunities.js'
import { DataTable } from '../../../components/DataTable.js'
import { Notice } from '../../../components/Notice.js'
import { errorMessage } from '../../../components/QueryState.js'
import { ASSIGNMENT_FILE_LIMITS, describeCounts, fileProblem, type ImportCounts } from './assignment-file.js'

type LineProblem = ImportCounts['errors'][number]
const column = createColumnHelper<LineProblem>()
const columns = [
  column.accessor('line', { header: 'Line', meta: { rowHeader: true } }),
  column.accessor('message', { header: 'Problem' }),
]
/** Enough to fix a file; a file with more bad lines is usually the wrong file. */
const SHOWN_PROBLEMS = 500

interface Checked {
  file: File
  csv: string
  preview: ImportCounts
}

function Counts({ counts, dryRun }: { counts: ImportCounts; dryRun: boolean }) {
  return (
    <Group gap="xl" role="list" aria-label="Counts">
      {[
        ['Rows', counts.rows],
        [dryRun ? 'To add' : 'Added', counts.added],
        ['Already assigned', counts.unchanged],
        ['Lines with problems', counts.errors.length],
      ].map(([label, value]) => (
        <Stack key={label} gap={0} role="listitem">
          <Text size="sm" c="dimmed">
            {label}
          </Text>
          <Text fw={700} size="lg">
            {Number(value).toLocaleString()}
          </Text>
        </Stack>
      ))}
    </Group>
  )
}

function Problems({ errors }: { errors: ImportCounts['errors'] }) {
  const shown = errors.slice(0, SHOWN_PROBLEMS)
  return (
    <Stack gap="xs">
      <DataTable
        label="Lines with problems"
        rows={[...shown]}
        columns={columns}
        rowId={(row) => String(row.line)}
        minWidth={420}
      />
      {errors.length > shown.length && (
        <Text size="sm" c="dimmed">
          The first {shown.length.toLocaleString()} of {errors.length.toLocaleString()} lines with problems
          are shown.
        </Text>
      )}
    </Stack>
  )
}

export function ImportAssignments() {
  const run = useImportAssignments()
  const [file, setFile] = useState<File | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [checked, setChecked] = useState<Checked | null>(null)
  const [result, setResult] = useState<ImportCounts | null>(null)

  const pick = async (picked: File | null) => {
    setFile(picked)
    setChecked(null)
    setResult(null)
    setProblem(null)
    run.reset()
    if (!picked) return
    const refused = fileProblem(picked)
    if (refused) return setProblem(refused)
    const csv = await picked.text()
    run.mutate({ csv, dryRun: true }, { onSuccess: (preview) => setChecked({ file: picked, csv, preview }) })
  }

  const startImport = () => {
    if (!checked) return
    run.mutate({ csv: checked.csv, dryRun: false }, { onSuccess: setResult })
  }

  const preview = checked?.preview
  const importing = run.isPending && run.variables.dryRun === false
  const checking = run.isPending && run.variables.dryRun
  return (
    <Paper component="section" withBorder p="md" aria-labelledby="import-title">
      <Stack gap="sm">
        <Group justify="space-between" gap="sm">
          <Title order={2} id="import-title">
            Import assignments (CSV)
          </Title>
          {/* A plain download: the browser saves the streamed file (GET, the session cookie). */}
          <Button
            component="a"
            href={exportAssignments.path}
            download="assignments.csv"
            variant="default"
            size="xs"
            leftSection={<IconDownload size={14} aria-hidden="true" />}
          >
            Export assignments (CSV)
          </Button>
        </Group>
        <Text size="sm">
          A CSV file with the columns <Code>email</Code> and <Code>opportunity_id</Code> and a header line
          naming them: the email of an active user and the 15- or 18-character Salesforce Opportunity Id, one
          assignment a line. At most {ASSIGNMENT_FILE_LIMITS.label} and{' '}
          {ASSIGNMENT_FILE_LIMITS.rows.toLocaleString()} rows. The file is checked first without writing
          anything; if any line has a problem, nothing is imported.
        </Text>
        <FileInput
          label="Assignments file"
          placeholder="Choose a .csv file"
          // FileInput's placeholder is real text (a button's content, not an input's placeholder), so it must
          // meet text contrast (axe color-contrast): the theme's dimmed grey does, the placeholder grey does not.
          styles={{ placeholder: { color: 'var(--mantine-color-dimmed)' } }}
          accept=".csv,text/csv"
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the file' }}
          leftSection={<IconFileTypeCsv size={18} aria-hidden="true" />}
          value={file}
          onChange={(picked) => void pick(picked)}
          disabled={run.isPending}
          error={problem}
          maw={420}
        />
        {run.isPending && (
          <Stack gap={4} role="status">
            <Text size="sm">
              {importing
                ? `Importing ${preview?.added.toLocaleString() ?? ''} assignments…`
                : `Checking ${file?.name ?? 'the file'}…`}
            </Text>
            <Progress value={100} animated striped aria-label={importing ? 'Importing' : 'Checking'} />
          </Stack>
        )}
        {run.isError && (
          <Notice tone="error" role="alert">
            {errorMessage(run.error)} Nothing was imported.
          </Notice>
        )}
        {preview && !result && !checking && (
          <Stack gap="sm">
            <Title order={3} size="h4">
              Dry run of {checked.file.name}
            </Title>
            <Counts counts={preview} dryRun />
            {preview.errors.length > 0 ? (
              <>
                <Notice tone="error" role="alert">
                  {describeCounts(preview, true)} Fix these lines and choose the file again: a file is
                  imported whole or not at all.
                </Notice>
                <Problems errors={preview.errors} />
              </>
            ) : preview.added === 0 ? (
              <Notice tone="info" role="status">
                Every assignment in this file exists already; there is nothing to import.
              </Notice>
            ) : (
              <>
                <Notice tone="info" role="status">
                  {describeCounts(preview, true)} Nothing has been written yet.
                </Notice>
                <Group>
                  <Button onClick={startImport} loading={importing}>
                    Import {preview.added.toLocaleString()} assignment{preview.added === 1 ? '' : 's'}
                  </Button>
                </Group>
              </>
            )}
          </Stack>
        )}
        {result && (
          <Stack gap="sm">
            <Counts counts={result} dryRun={false} />
            {result.errors.length > 0 ? (
              <>
                <Notice tone="error" role="alert">
                  {describeCounts(result, false)} Something changed since the dry run (a user deactivated, an
                  opportunity deleted); fix these lines and try again.
                </Notice>
                <Problems errors={result.errors} />
              </>
            ) : (
              <Notice tone="success" role="status">
                Imported. {describeCounts(result, false)}
              </Notice>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  )
}
