import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import { MULTILINE_LANGUAGES, type MultilineMode } from '../../../src/core/router/multiline.js'
import {
  GENERATED_MARK,
  checkIncludePath,
  routerConfigFiles,
  type RouterConfigSpec
} from '../../../src/core/router/router-config.js'

const spec = (overrides: Partial<RouterConfigSpec> = {}): RouterConfigSpec => ({
  multiline: [],
  parseJson: false,
  grace: 30,
  healthCheck: false,
  ...overrides
})

/** Every line of the generated file is one of these shapes: nothing else can be in it. */
const LINE_SHAPES = [
  /^$/,
  /^# [^\n]*$/,
  /^\[(SERVICE|FILTER)\]$/,
  /^ {4}(Flush|Grace|HTTP_Port) \d+$/,
  /^ {4}HTTP_Server On$/,
  /^ {4}HTTP_Listen 127\.0\.0\.1$/,
  /^ {4}Parsers_File \/(fluent-bit\/parsers|datadog-firelens)\/parsers\.conf$/,
  /^ {4}Name (modify|multiline|parser)$/,
  /^ {4}Match ([A-Za-z0-9_-]+-firelens\*|\*)$/,
  /^ {4}(Rename|Remove) _?[a-z0-9_]+( [a-z0-9_]+)?$/,
  /^ {4}multiline\.key_content log$/,
  /^ {4}mode partial_message$/,
  /^ {4}multiline\.parser (java|go|ruby|datadog_firelens_python)$/,
  /^ {4}(Key_Name log|Parser json|Reserve_Data True)$/,
  /^@INCLUDE \/\S+$/
]

describe('the generated router configuration', () => {
  it('for web=java, worker=python with parse-json and the health check', () => {
    const files = routerConfigFiles(
      spec({
        multiline: [
          ['web', 'java'],
          ['worker', 'python']
        ],
        parseJson: true,
        healthCheck: true,
        include: '/fluent-bit/etc/extra.conf'
      })
    )
    const sections = files.config.split('\n\n')
    expect(sections[0]).toBe(GENERATED_MARK)
    expect(sections[1]).toBe(
      [
        '[SERVICE]',
        '    Flush 1',
        '    Grace 30',
        '    HTTP_Server On',
        '    HTTP_Listen 127.0.0.1',
        '    HTTP_Port 2020',
        '    Parsers_File /fluent-bit/parsers/parsers.conf',
        '    Parsers_File /datadog-firelens/parsers.conf'
      ].join('\n')
    )
    const names = sections.map(s => /Name (\w+)\n {4}Match (\S+)/.exec(s)?.slice(1).join(' ')).filter(Boolean)
    expect(names).toEqual([
      'modify web-firelens*',
      'modify worker-firelens*',
      'multiline web-firelens*',
      'multiline web-firelens*',
      'multiline worker-firelens*',
      'multiline worker-firelens*',
      'modify web-firelens*',
      'modify worker-firelens*',
      'parser *'
    ])
    expect(files.config).toMatch(/# The router's own config file, kept.\n@INCLUDE \/fluent-bit\/etc\/extra.conf\n$/)
    expect(files.parsers).toMatch(/^\[MULTILINE_PARSER\]\n {4}name {10}datadog_firelens_python\n/)
  })

  it('only Flush and Grace when nothing else is asked, and no parsers file without python', () => {
    expect(routerConfigFiles(spec({ grace: 12 }))).toEqual({
      config: `${GENERATED_MARK}\n\n[SERVICE]\n    Flush 1\n    Grace 12\n`
    })
  })

  it('refuses an include path that could change the file', () => {
    for (const path of ['extra.conf', '/a b.conf', '/a\n@INCLUDE /b', '/a\u0000']) {
      expect(userErrorText(() => checkIncludePath(path, 'The file'))).toMatch(/absolute path without spaces/)
    }
  })

  it('no input adds a line, a section or an @INCLUDE of its own, and the same spec gives the same bytes (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/)
    const mode = fc.constantFrom<MultilineMode>('partial', ...MULTILINE_LANGUAGES)
    const include = fc.option(fc.stringMatching(/^\/[!-~]{1,60}$/), { nil: undefined })
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(name, mode), { selector: ([n]) => n, maxLength: 9 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 115 }),
        fc.boolean(),
        include,
        (multiline, parseJson, grace, healthCheck, path) => {
          const input = { multiline, parseJson, grace, healthCheck, include: path }
          const files = routerConfigFiles(input)
          expect(routerConfigFiles(structuredClone(input))).toEqual(files)
          const lines = files.config.split('\n')
          for (const line of lines)
            expect({ line, ok: LINE_SHAPES.some(shape => shape.test(line)) }).toEqual({ line, ok: true })
          expect(lines.filter(line => line.startsWith('@INCLUDE'))).toEqual(
            path === undefined ? [] : [`@INCLUDE ${path}`]
          )
          expect(lines.filter(line => line === '[SERVICE]')).toHaveLength(1)
          // Two multiline filters for a language, one for partial, each matching that container only.
          for (const [container, m] of multiline) {
            const matching = files.config
              .split('\n\n')
              .filter(s => s.includes(`Name multiline\n    Match ${container}-firelens*\n`))
            expect(matching).toHaveLength(m === 'partial' ? 1 : 2)
          }
          expect(files.parsers !== undefined).toBe(multiline.some(([, m]) => m === 'python'))
        }
      )
    )
  })

  it('refuses a container name that is not one (the patch never passes one)', () => {
    expect(() => routerConfigFiles(spec({ multiline: [['web\n@INCLUDE /x', 'java']] }))).toThrow(/not a container name/)
  })
})
