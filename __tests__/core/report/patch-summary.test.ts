import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { exampleTaskDefinition, patchConfig } from '../../../__fixtures__/patch-config.js'
import { patchTaskDefinition } from '../../../src/core/patch/patch-task-definition.js'
import type { PatchConfig } from '../../../src/core/patch/config.js'
import { parseSecretRef, type SecretRef } from '../../../src/core/secret-ref.js'
import { SITES, intakeHost } from '../../../src/core/sites.js'
import {
  codeSpan,
  markdown,
  renderFailureSummary,
  renderLog,
  renderSummary,
  type RunReport
} from '../../../src/core/report/patch-summary.js'

const KEY = '0123456789abcdef0123456789abcdef'
const SM_ARN = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:datadog-api-key-AbCdEf'
const SSM_ARN = 'arn:aws:ssm:ap-northeast-1:111122223333:parameter/prod/DATADOG_API_KEY'
const ARN = 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:7'

const ref = (value: string): SecretRef => {
  const parsed = parseSecretRef(value)
  if (!('kind' in parsed)) throw new Error(`not a secret reference: ${value}`)
  return parsed
}

/** A report from a real patch of fargate-web.json with the agent on, as main.ts builds it. */
const patchedReport = (config: PatchConfig = patchConfig({ agent: { memory: 256 } }), arn?: string): RunReport => {
  const { changes, warnings } = patchTaskDefinition(exampleTaskDefinition('fargate-web.json'), config)
  return {
    family: 'web',
    config,
    changes,
    warnings,
    outputPath: '/runner-temp/datadog-firelens-x/web.json',
    ...(arn ? { arn } : {})
  }
}

/** The rows of the changes table: `| container | change | detail |`. */
const tableRows = (md: string): string[] => md.split('\n').filter(l => /^\| `/.test(l))
/** Cells of a markdown row as GFM splits it: on pipes not escaped by a backslash (itself not escaped). */
const cells = (row: string): string[] => {
  const out: string[] = []
  let cell = ''
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\' && i + 1 < row.length) {
      cell += row[i]! + row[++i]!
    } else if (row[i] === '|') {
      out.push(cell.trim())
      cell = ''
    } else cell += row[i]
  }
  out.push(cell.trim())
  return out.slice(1, -1)
}

/**
 * What a reader sees of inline Markdown made only of text, backslash escapes and code spans (CommonMark's rules for
 * those); anything else that Markdown would read as markup makes it throw, so a test knows the text was not inert.
 */
function displayed(markdownText: string, inTable: boolean): string {
  // A table cell first loses the backslash of every \\| (cmark-gfm's unescape_pipes), then is parsed inline.
  const md = inTable ? markdownText.replace(/\\\|/g, '|') : markdownText
  let out = ''
  let i = 0
  while (i < md.length) {
    const c = md[i]!
    if (c === '\\' && /[!-/:-@[-`{-~]/.test(md[i + 1] ?? '')) {
      out += md[i + 1]
      i += 2
    } else if (c === '`') {
      const run = /^`+/.exec(md.slice(i))![0]
      let j = i + run.length
      let close = -1
      while (j < md.length) {
        const next = /`+/.exec(md.slice(j))
        if (!next) break
        if (next[0].length === run.length) {
          close = j + next.index
          break
        }
        j += next.index + next[0].length
      }
      if (close === -1) throw new Error(`unmatched backticks in ${md}`)
      let content = md.slice(i + run.length, close)
      if (/^ .* $/s.test(content) && content.trim() !== '') content = content.slice(1, -1)
      out += content
      i = close + run.length
    } else if (/[*_[\]<>&~\n]/.test(c) || (c === '|' && !inTable)) {
      throw new Error(`unescaped ${JSON.stringify(c)} in ${md}`)
    } else {
      out += c
      i++
    }
  }
  return out
}

describe('renderSummary', () => {
  it('lists the notices after the warnings, and no Notices heading when there are none', () => {
    const td = exampleTaskDefinition('already-routed.json')
    td.containerDefinitions[0]!.environment = [{ name: 'DD_SERVICE', value: 'api-v2' }]
    td.containerDefinitions[1]!.firelensConfiguration!.options = { 'enable-ecs-log-metadata': 'false' }
    const config = patchConfig({ service: 'checkout' })
    const { changes, warnings, notices } = patchTaskDefinition(td, config)
    const md = renderSummary({ family: 'api', config, changes, warnings, notices, outputPath: '/o/api.json' })
    expect(md).toMatch(/\*\*Warnings\*\*[\s\S]*\*\*Notices\*\*\n\n- log\\_router: enable-ecs-log-metadata is "false"/)
    expect(md).toMatch(
      /\| `api` \| updated \| .*service "api" \(from its dd\\_service option\) replaced by the `service` input "checkout": .*dd\\_service `api` → `checkout`.* \|/
    )
    expect(renderSummary(patchedReport())).not.toContain('Notices')
  })

  it.each(SITES.map(s => [s.code, s] as const))('shows the site code %s and its intake host', (_code, site) => {
    const md = renderSummary(patchedReport(patchConfig({ site })))
    expect(md).toContain(`| Site | ${site.code} → \`${intakeHost(site)}\` |`)
  })

  it('names the SSM parameter, not the key', () => {
    const md = renderSummary(patchedReport())
    expect(md).toContain('| API key | SSM parameter `/prod/DATADOG_API_KEY` |')
  })

  it('names the SSM parameter of an SSM ARN by its name', () => {
    const md = renderSummary(patchedReport(patchConfig({ apiKeySecret: ref(SSM_ARN) })))
    expect(md).toContain('| API key | SSM parameter `/prod/DATADOG_API_KEY` |')
  })

  it('names a Secrets Manager secret by its ARN', () => {
    const md = renderSummary(patchedReport(patchConfig({ apiKeySecret: ref(SM_ARN) })))
    expect(md).toContain(`| API key | Secrets Manager secret \`${SM_ARN}\` |`)
  })

  it('never shows an API key, even one left in clear text in the task definition', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.containerDefinitions.push({
      name: 'datadog-agent',
      image: 'datadog/agent:7.85.0',
      environment: [{ name: 'DD_API_KEY', value: KEY }],
      logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'datadog', apikey: KEY } }
    })
    const config = patchConfig({ agent: { memory: 256 } })
    const { changes, warnings } = patchTaskDefinition(td, config)
    const report: RunReport = { family: 'web', config, changes, warnings, outputPath: '/tmp/web.json' }
    expect(warnings.length).toBeGreaterThanOrEqual(2)
    expect(renderSummary(report)).not.toContain(KEY)
    expect(renderLog(report).join('\n')).not.toContain(KEY)
  })

  it('says "dry run: not registered" without an ARN nor a region, and the ARN when registered', () => {
    const dry = renderSummary(patchedReport(patchConfig({ agent: { memory: 256 }, region: undefined })))
    expect(dry).toContain('| Task definition | dry run: not registered |')
    expect(dry).not.toContain('arn:aws:ecs')
    const registered = renderSummary(patchedReport(undefined, ARN))
    expect(registered).toContain(`| Task definition | registered \`${ARN}\` |`)
    expect(registered).not.toContain('dry run')
  })

  it('calls register: false with a region what it is: the deploy step registers this file', () => {
    const md = renderSummary(patchedReport(patchConfig({ region: 'eu-west-1' })))
    expect(md).toContain('| Task definition | not registered here: the deploy step registers this file |')
    expect(md).not.toContain('dry run')
  })

  it('has one change row per container, in the order of the containers in the file', () => {
    const md = renderSummary(patchedReport(patchConfig({ agent: { memory: 256 }, env: 'prod' })))
    const order = patchTaskDefinition(
      exampleTaskDefinition('fargate-web.json'),
      patchConfig({ agent: { memory: 256 }, env: 'prod' })
    ).taskDefinition.containerDefinitions.map(c => c.name)
    expect(order).toEqual(['web', 'log-router', 'datadog-agent'])
    expect(tableRows(md).map(r => cells(r).slice(0, 2))).toEqual([
      ['`web`', 're-routed'],
      ['`log-router`', 'router added'],
      ['`datadog-agent`', 'agent added']
    ])
  })

  it('lists the warnings after the table, one bullet each', () => {
    const md = renderSummary(patchedReport())
    expect(md).not.toContain('**Warnings**')
    const withWarnings = renderSummary({ ...patchedReport(), warnings: ['first thing', 'second thing'] })
    expect(withWarnings).toContain('**Warnings**\n\n- first thing\n- second thing\n')
    expect(withWarnings.indexOf('**Warnings**')).toBeGreaterThan(withWarnings.indexOf('| `log-router` |'))
  })

  it('escapes a | in a container detail (and a newline) so the table keeps three columns', () => {
    const report: RunReport = {
      ...patchedReport(),
      changes: [
        { container: 'web', action: 're-routed', detail: 'was awslogs | splunk\nreplaced' },
        { container: 'a|b', action: 'routed', detail: 'ok' }
      ]
    }
    const rows = tableRows(renderSummary(report))
    expect(rows).toEqual(['| `web` | re-routed | was awslogs \\| splunk replaced |', '| `a\\|b` | routed | ok |'])
    for (const row of rows) expect(cells(row)).toHaveLength(3)
  })

  it('escapes a | in the family heading and in a warning', () => {
    const md = renderSummary({ ...patchedReport(), family: 'we|b', warnings: ['a | b\nc'] })
    expect(md).toContain('### Datadog FireLens: we\\|b')
    expect(md).toContain('- a \\| b c')
  })

  it('keeps every row at three cells, whatever the details say (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ container: fc.stringMatching(/^[a-z|]{1,8}$/), detail: fc.string({ maxLength: 40 }) }), {
          minLength: 1,
          maxLength: 5
        }),
        rows => {
          const changes = rows.map(r => ({ ...r, detail: r.detail.replace(/[`\\]/g, ''), action: 'routed' as const }))
          const md = renderSummary({ ...patchedReport(), changes })
          const table = md.split('\n').filter(l => l.startsWith('| `'))
          expect(table).toHaveLength(changes.length)
          for (const row of table) expect(cells(row)).toHaveLength(3)
        }
      )
    )
  })

  it('shows any name, detail, warning or family exactly as written, on its line, whatever it holds (property)', () => {
    // Text without backticks must read back exactly (newlines as spaces); with backticks, still only inert markup.
    const unit = fc.constantFrom(
      'a',
      'Z',
      ' ',
      '|',
      '\\',
      '*',
      '_',
      '[',
      ']',
      '<',
      '>',
      '&',
      '~',
      '#',
      '-',
      '\n',
      '\r',
      '!',
      '(',
      'é'
    )
    const text = fc.string({ unit, minLength: 1, maxLength: 20 })
    fc.assert(
      fc.property(text, text, text, text, (container, detail, warning, family) => {
        const report: RunReport = {
          ...patchedReport(),
          family,
          changes: [{ container, action: 'routed', detail }],
          warnings: [warning]
        }
        const md = renderSummary(report)
        const lines = md.split('\n')
        const plain = {
          ...report,
          family: 'x',
          changes: [{ container: 'x', action: 'routed' as const, detail: 'x' }],
          warnings: ['x']
        }
        expect(lines).toHaveLength(renderSummary(plain).split('\n').length)
        const row = lines[lines.indexOf('| Container | Change | Detail |') + 2]!
        const [name, action, shown] = cells(row)
        // Markdown trims a cell, a heading and a list item: leading and trailing spaces may go, nothing else.
        const flat = (t: string): string => t.replace(/\r?\n|\r/g, ' ').trim()
        expect(displayed(name!, true).trim()).toBe(flat(container))
        expect(action).toBe('routed')
        expect(displayed(shown!, true).trim()).toBe(flat(detail))
        expect(displayed(lines[0]!.replace('### Datadog FireLens: ', ''), false).trim()).toBe(flat(family))
        const item = lines.find(l => l.startsWith('- '))!.slice(2)
        expect(displayed(item, false).trim()).toBe(flat(warning))
      }),
      { numRuns: 500 }
    )
  })

  it('keeps user backticks inert: balanced ones become code, the rest literal (property)', () => {
    const unit = fc.constantFrom('a', '`', '``', ' ', '|', '\n', '<', '\\')
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 16 }), text => {
        for (const inTable of [true, false]) {
          const md = markdown(text, inTable)
          expect(md).not.toMatch(/[\r\n]/)
          expect(() => displayed(md, inTable)).not.toThrow()
          if (inTable) expect(cells(`| ${md} |`)).toHaveLength(1)
        }
      }),
      { numRuns: 500 }
    )
  })

  it.each([
    ['web', '`web`'],
    ['a`b', '``a`b``'],
    ['`start', '`` `start ``'],
    ['a|b', '`a|b`']
  ])('fences %j as %s', (text, span) => {
    expect(codeSpan(text)).toBe(span)
  })

  it('keeps the code spans the action writes in details and warnings', () => {
    expect(markdown('left as it was (not in `containers`)', true)).toBe('left as it was (not in `containers`)')
    expect(markdown('Input `log-options` line 2 sets dd_tags', false)).toBe('Input `log-options` line 2 sets dd\\_tags')
  })

  it('ends with a newline', () => {
    expect(renderSummary(patchedReport())).toMatch(/\n$/)
  })
})

describe('renderLog', () => {
  it('prints the site, the secret label without backticks, the registration and the patched file', () => {
    const lines = renderLog(patchedReport(patchConfig({ apiKeySecret: ref(SM_ARN) }), ARN))
    expect(lines.slice(0, 4)).toEqual([
      'Site: AP1 → http-intake.logs.ap1.datadoghq.com',
      `API key: Secrets Manager secret ${SM_ARN}`,
      `Task definition: registered ${ARN}`,
      'Patched file: /runner-temp/datadog-firelens-x/web.json'
    ])
    expect(lines.join('\n')).not.toContain('`')
  })

  it('says dry run without an ARN', () => {
    expect(renderLog(patchedReport(patchConfig({ region: undefined })))).toContain(
      'Task definition: dry run: not registered'
    )
  })

  it('prints one aligned line per change, in container order', () => {
    const report = patchedReport()
    const lines = renderLog(report).filter(l => l.startsWith('  '))
    expect(lines.map(l => l.trim().split(/\s+/)[0])).toEqual(['web', 'log-router', 'datadog-agent'])
    // The change starts in the same column on every line.
    const columns = lines.map((l, i) => l.indexOf(`${report.changes[i]!.action}: `))
    expect(new Set(columns).size).toBe(1)
    expect(lines[2]).toMatch(/agent added: image public\.ecr\.aws\/datadog\/agent:7\.\d+\.\d+/)
  })

  it('counts the warnings and points at the annotations', () => {
    expect(renderLog(patchedReport()).some(l => l.startsWith('Warnings:'))).toBe(false)
    expect(renderLog({ ...patchedReport(), warnings: ['a', 'b'] })).toContain('Warnings: 2 (see annotations)')
  })
})

describe('the AWS checks row', () => {
  it('shows what the AWS checks came to, in the summary and the log, only when there is something to say', () => {
    const report = patchedReport()
    expect(renderSummary(report)).not.toContain('AWS checks')
    expect(renderLog(report).join('\n')).not.toContain('AWS checks')
    const checked = { ...report, awsChecks: 'verify-secret, verify-roles: passed with 1 warning' }
    expect(renderSummary(checked)).toContain('| AWS checks | verify-secret, verify-roles: passed with 1 warning |')
    expect(renderLog(checked)).toContain('AWS checks: verify-secret, verify-roles: passed with 1 warning')
    // After the task definition row, before the changes table.
    const md = renderSummary({ ...report, awsChecks: 'skipped: no AWS region' }).split('\n')
    expect(md.indexOf('| AWS checks | skipped: no AWS region |')).toBe(
      md.findIndex(l => l.startsWith('| Task definition |')) + 1
    )
  })
})

describe('renderFailureSummary', () => {
  it('says what failed, where and the fix, and that nothing was registered', () => {
    const md = renderFailureSummary({
      family: 'web',
      errors: [
        { message: 'Input `site` is "eu", which is not a Datadog site this action knows.', hint: 'Did you mean EU1?' },
        { message: 'In td.json, cpu is a list.', hint: 'Write a string there.', file: 'td.json', line: 3, col: 3 }
      ],
      warnings: ['a | warning']
    })
    expect(md).toContain('### Datadog FireLens: web failed')
    expect(md).toContain('Nothing was registered. The 2 errors, each with its fix:')
    expect(md).toContain(
      '- Input `site` is "eu", which is not a Datadog site this action knows.<br>**Fix:** Did you mean EU1?'
    )
    expect(md).toContain('- In td.json, cpu is a list. (`td.json`, line 3, column 3)<br>**Fix:** Write a string there.')
    expect(md).toContain('- a \\| warning')
  })

  it('says the registration when the failure came after it', () => {
    const md = renderFailureSummary({ errors: [{ message: 'GITHUB_OUTPUT' }], warnings: [], registered: ARN })
    expect(md).toContain(`The task definition was registered (\`${ARN}\`), then the step failed:`)
    expect(md).not.toContain('Nothing was registered')
  })

  it('shows each edited value in its own code span, so a backtick or pipe in one cannot pair with another', () => {
    const report = patchedReport()
    report.changes = [
      {
        container: 'web',
        action: 'updated',
        detail: 'Datadog output options updated',
        edits: [
          { what: 'dd_service', from: 'a`b', to: 'c|d' },
          { what: 'apikey', from: '(a value in clear text, not shown)', secret: true }
        ]
      }
    ]
    const row = renderSummary(report)
      .split('\n')
      .find(l => l.startsWith('| `web`'))!
    expect(row).toBe(
      '| `web` | updated | Datadog output options updated: dd\\_service ``a`b`` → `c\\|d`; apikey (a value in clear text, not shown) removed |'
    )
  })
})
