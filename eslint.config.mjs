import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.data/**', '**/generated/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests index into fixtures they just made; a failed assertion already reports a missing item.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The boundaries the README's architecture section states. One rule block per layer; a later block for
  // the same files replaces an earlier one, so each list is complete for its layer.
  ...boundaries(),
);

function boundaries() {
  const services = ['@clinic/*-subgraph', '@clinic/gateway'];
  const tests = ['**/*.test.ts', '**/*.contract.ts', '**/testing/**'];
  const testsIn = (roots) => roots.flatMap((root) => tests.map((pattern) => `${root}/${pattern}`));
  // Relative paths into another package's folders; only whole-system tests may look inside services.
  const folders = [
    ...['subgraphs/*', 'appointments', 'doctors', 'patients', 'audit', 'gateway'].map(
      (name) => `**/${name}/src/**`,
    ),
    ...['launcher', 'system', 'dev'].map((name) => `**/${name}/**`),
    // A library by its package name only, never by a path into its folder.
    '**/libs/*/src/**',
  ];
  const restrict = (files, message, packages, { ignores = [], paths = folders } = {}) => ({
    files,
    ignores,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...(packages.length
              ? [{ group: packages.flatMap((name) => [name, `${name}/**`]), message }]
              : []),
            { group: paths, message: `${message} No path reaches into another package's folders or dev/.` },
          ],
        },
      ],
    },
  });
  const platformAndUp = ['@clinic/launcher', ...services];
  return [
    restrict(['libs/contracts/**'], 'libs/contracts imports no other workspace.', [
      '@clinic/platform',
      '@clinic/testing',
      ...platformAndUp,
    ]),
    restrict(
      ['libs/platform/**'],
      'libs/platform imports only libs/contracts.',
      ['@clinic/testing', ...platformAndUp],
      {
        ignores: testsIn(['libs/platform']),
      },
    ),
    restrict(testsIn(['libs/platform']), 'libs/platform tests import only the libraries.', platformAndUp),
    restrict(['libs/testing/**'], 'libs/testing never imports a service or the launcher.', platformAndUp),
    restrict(
      ['subgraphs/**', 'gateway/**'],
      'Services never import each other, the launcher or test helpers; they share through the libraries.',
      ['@clinic/testing', ...platformAndUp],
      { ignores: testsIn(['subgraphs', 'gateway']) },
    ),
    restrict(
      testsIn(['subgraphs', 'gateway']),
      'Service tests never import another service or the launcher.',
      platformAndUp,
    ),
    restrict(
      ['launcher/**'],
      'The launcher imports services by package, never test helpers.',
      ['@clinic/testing'],
      {
        ignores: testsIn(['launcher']),
      },
    ),
    restrict(['system/**'], 'Whole-system tests may use every package, never dev/.', [], {
      paths: ['**/dev/**'],
    }),
  ];
}
