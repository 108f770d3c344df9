// ESLint flat config, in the spirit of actions/typescript-action: typescript-eslint's type-aware
// recommended rules for TypeScript, plain recommended rules for the JavaScript tooling files, and
// eslint-config-prettier last so formatting is left to Prettier alone.
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import prettier from 'eslint-config-prettier'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import { importX } from 'eslint-plugin-import-x'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// src/ has three rooms: src/core/ (the pure core), src/adapters/ (AWS, HTTP and Datadog I/O with deadlines) and
// src/shells/ (one folder per entry point: read inputs and the environment, report). Only src/core/ is restricted.

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.bench/'] },
  js.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node }
    }
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }]
    }
  },
  {
    // No import cycles in the sources.
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver()],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js']
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] }
  },
  {
    // The pure core: plain functions over plain data. I/O, the toolkit and the environment belong to the shells.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@actions/*'], message: 'The core does not use the toolkit: take a Logger, return findings.' },
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'AWS calls belong in src/adapters/aws/; pass them in.' },
            {
              group: ['**/adapters/**', '**/shells/**'],
              message: 'The core does not depend on adapters or shells: take the dependency as a parameter.'
            }
          ],
          paths: [
            'fs',
            'node:fs',
            'fs/promises',
            'node:fs/promises',
            'node:child_process',
            'node:http',
            'node:https',
            'node:net'
          ].map(name => ({
            name,
            message: 'The core does no I/O: the shell reads and writes, the core gets plain data.'
          }))
        }
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'The core does no I/O: take a fetch function as a parameter.' },
        { name: 'process', message: 'The core does not read the environment: the shell passes what it needs.' }
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'The core does not read the environment.' }
      ]
    }
  },
  {
    // Tests build fakes and read parsed JSON: the no-unsafe-* family would only add casts there.
    files: ['__tests__/**/*.ts', '__fixtures__/**/*.ts'],
    languageOptions: { globals: { ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off'
    }
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked]
  },
  prettier
)
