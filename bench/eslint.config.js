// ESLint 10 looks up the config nearest each file: this one is the root config, with Node's
// globals for the bench's plain .mjs files as the root gives them to scripts/**/*.mjs.
import globals from 'globals';
import root from '../eslint.config.js';

export default [...root, { files: ['**/*.mjs', '*.js'], languageOptions: { globals: { ...globals.node } } }];
