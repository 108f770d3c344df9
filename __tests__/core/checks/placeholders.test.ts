import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { TaskDefinition } from '../../../src/core/definition/task-definition.js'
import { findPlaceholders, placeholderError, placeholderNotice } from '../../../src/core/checks/placeholders.js'

const task = (image: string | undefined, extra: Partial<TaskDefinition> = {}): TaskDefinition => ({
  family: 'web',
  executionRoleArn: 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole',
  containerDefinitions: [
    { name: 'web', ...(image === undefined ? {} : { image }) },
    { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17' }
  ],
  ...extra
})

describe('leftover placeholders', () => {
  it.each([
    '<IMAGE1_NAME>',
    '<IMAGE12_NAME>',
    '${IMAGE}',
    '$IMAGE',
    '111122223333.dkr.ecr.us-east-1.amazonaws.com/web:${GITHUB_SHA}',
    '${{ env.IMAGE }}',
    '{{ .Values.image }}',
    '{{image}}',
    '$$$IMAGE$$$',
    '%IMAGE%',
    'web:%BUILD_NUMBER%',
    '#{Octopus.Image}',
    '<your-account-id>.dkr.ecr.us-east-1.amazonaws.com/web:1',
    'web: latest'
  ])('finds %s in an image', image => {
    expect(findPlaceholders(task(image))).toEqual([
      { path: 'containerDefinitions[web].image', value: image, codeDeploy: image.includes('_NAME>') }
    ])
  })

  it.each([
    'web',
    'web:1.2.3',
    '111122223333.dkr.ecr.us-east-1.amazonaws.com/team/web:4b1e2c9',
    `registry.example.com:5000/web@sha256:${'a'.repeat(64)}`,
    'localhost:5000/web:latest',
    'ghcr.io/acme/web:pr-12_build.3'
  ])('leaves the image %s alone', image => {
    expect(findPlaceholders(task(image))).toEqual([])
  })

  it('finds an empty or missing image, and placeholders in role ARNs and secret references', () => {
    const td = task('', {
      taskRoleArn: 'arn:aws:iam::${ACCOUNT_ID}:role/web',
      containerDefinitions: [
        { name: 'web', image: '' },
        { name: 'worker', secrets: [{ name: 'DB', valueFrom: '{{ db_secret_arn }}' }] }
      ]
    })
    expect(findPlaceholders(td).map(p => [p.path, p.value])).toEqual([
      ['taskRoleArn', 'arn:aws:iam::${ACCOUNT_ID}:role/web'],
      ['containerDefinitions[web].image', ''],
      ['containerDefinitions[worker].image', ''],
      ['containerDefinitions[worker].secrets[DB].valueFrom', '{{ db_secret_arn }}']
    ])
  })

  it("refuses with register true, naming each field and value; for CodeDeploy's placeholder, says register: false", () => {
    const error = placeholderError(findPlaceholders(task('<IMAGE1_NAME>')), 'td.json')
    expect(error.message).toBe(
      'The task definition in td.json has template placeholders that ECS would register as they are, and no task could pull or use: containerDefinitions[web].image is "<IMAGE1_NAME>" (CodeDeploy\'s placeholder). Nothing was registered.'
    )
    expect(error.hint).toMatch(
      /^CodeDeploy .* fills <IMAGEn_NAME> .* registers the task definition itself: set `register: false`/
    )
    expect(error.file).toBe('td.json')
    const other = placeholderError(findPlaceholders(task('${IMAGE}')), 'td.json')
    expect(other.hint).toMatch(/Fill them in before this step .*or set `register: false`/)
    const empty = placeholderError(findPlaceholders(task(undefined)), 'td.json')
    expect(empty.message).toContain(
      'a container without an image, which ECS refuses: containerDefinitions[web].image is empty or missing'
    )
  })

  it('says in a notice that register false keeps them verbatim', () => {
    expect(placeholderNotice(findPlaceholders(task('<IMAGE1_NAME>')))).toBe(
      'Kept as written for the step that fills them in and registers (`register: false`): containerDefinitions[web].image is "<IMAGE1_NAME>" (CodeDeploy\'s placeholder). ECS cannot register this file until they are filled in.'
    )
  })

  it('any image with a templating character is found, wherever it is', () => {
    const ref = fc.stringMatching(/^[a-z0-9][a-z0-9._/-]{0,20}$/)
    const marker = fc.constantFrom('<X>', '${X}', '$X', '{{X}}', '%X%', '#{X}', ' ')
    fc.assert(
      fc.property(ref, marker, ref, (before, m, after) => {
        expect(findPlaceholders(task(`${before}${m}${after}`))).toHaveLength(1)
        expect(findPlaceholders(task(`${before}${after}`))).toHaveLength(0)
      })
    )
  })
})
