// Lint rules that keep the architecture honest: Nx module boundaries (a service depends on libs,
// never on another service) and deterministic workflow code.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'dns', 'worker_threads', 'cluster', 'timers', 'process'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', '.nx/**', '.data/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:tooling'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:tooling'] },
          ],
        },
      ],
    },
  },
  {
    // Contracts carry no framework: they are imported by workflows, services and other systems alike.
    files: ['libs/contracts/src/**/*.ts', 'libs/workflow-contracts/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@nestjs/*', '@prisma/*', 'nodemailer', 'pg'], message: 'Contracts import no NestJS, Prisma, nodemailer or database code.' }] }],
    },
  },
  {
    // Workflow code is replayed and must be deterministic: no I/O, no clocks, no framework, and
    // activities only as types (their code runs in the workers, never in the workflow sandbox).
    files: ['services/*/src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((m) => [
            { name: m, message: 'Workflows are deterministic: no Node builtins.' },
            { name: `node:${m}`, message: 'Workflows are deterministic: no Node builtins.' },
          ]),
          patterns: [
            { group: ['@nestjs/*'], message: 'Workflows must not import NestJS.' },
            { group: ['@prisma/*', '**/generated/prisma/**'], message: 'Workflows must not touch the database.' },
            { group: ['nodemailer'], message: 'Workflows send no email: call a notifications activity.' },
            { group: ['@temporalio/activity', '@temporalio/worker', '@temporalio/client'], message: 'Workflows import only @temporalio/workflow.' },
            { group: ['**/*.activities', '**/activities/**'], allowTypeImports: true, message: 'Import activities as types only (import type).' },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
