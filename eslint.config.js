// Lint for the web explorer (web/): TypeScript's recommended rules, React's hook rules, and
// what keeps hostile names text: no raw HTML from React, no HTML strings into the DOM.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['web/dist/**'] },
  {
    files: ['web/**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-properties': ['error',
        { property: 'innerHTML', message: 'Names and properties are text: use textContent or React children.' },
        { property: 'outerHTML', message: 'Names and properties are text.' },
        { property: 'insertAdjacentHTML', message: 'Names and properties are text.' },
        { object: 'document', property: 'write', message: 'Names and properties are text.' },
        { object: 'localStorage', message: 'The API key and personal data never go to local storage.' },
        { object: 'window', property: 'localStorage', message: 'The API key and personal data never go to local storage.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Names and properties are text, never HTML.' },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  // The tests read local storage to prove the explorer never writes there.
  { files: ['web/test/**/*.{ts,tsx}'], rules: { 'no-restricted-properties': 'off' } },
);
