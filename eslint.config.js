// Lint rules, including the layer boundaries of docs/architecture (imports go downward only).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Forbid imports of the given top-level src folders from files under `from`. */
function layer(from, forbidden) {
  return {
    files: [`src/${from}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: forbidden.map((f) => ({
          regex: `(^|/)\\.\\.(/\\.\\.)*/${f}(/|$)`,
          message: `${from}/ must not import ${f}/ (layers import downward only; see docs/architecture.md).`,
        })),
      }],
    },
  };
}

const above = ['app', 'cli', 'api', 'flow', 'call', 'routing', 'store', 'speech'];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-*/**', 'node_modules/**', 'web/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  layer('common', ['config', 'observability', 'sip', 'sdp', 'media', ...above]),
  layer('sdp', ['sip', 'media', ...above]),
  layer('sip', ['media', 'sdp', ...above]),
  layer('media', ['sip', ...above]),
  layer('speech', ['sip', 'media', 'sdp', ...above.filter((x) => x !== 'speech')]),
  layer('routing', ['sip', 'media', 'sdp', ...above.filter((x) => x !== 'routing')]),
  layer('call', ['app', 'cli', 'api', 'flow', 'routing', 'store']),
  layer('flow', ['sip', 'media', 'sdp', 'app', 'cli', 'api']),
);
