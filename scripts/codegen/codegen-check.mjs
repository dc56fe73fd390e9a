#!/usr/bin/env node
// `npm run codegen:check` (in .ci/run, before tsc): regenerates the CLI's typed operations
// from schema.graphql and src/cli/operations/*.graphql in memory, without touching the
// checked-in file, and fails naming the file when the two differ. A schema change the CLI's
// operations no longer validate against fails here with codegen's own message; one that
// still validates but changes a type the CLI uses makes the file stale here, and tsc fails
// on the code once the file is regenerated (npm run codegen).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import YAML from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');
process.chdir(root);
const config = YAML.parse(readFileSync('scripts/codegen/codegen.yml', 'utf8'));
let outputs;
try {
  outputs = await generate({ ...config, silent: true, errorsOnly: true }, false);
} catch (error) {
  console.error(`codegen:check: the CLI's operations (src/cli/operations/*.graphql) no longer fit schema.graphql:\n${error.message ?? error}`);
  process.exit(1);
}
let stale = 0;
for (const { filename, content } of outputs) {
  const checkedIn = (() => { try { return readFileSync(filename, 'utf8'); } catch { return null; } })();
  if (checkedIn !== content) {
    stale++;
    console.error(`codegen:check: ${filename} is ${checkedIn === null ? 'missing' : 'stale'}: run \`npm run codegen\` and commit it (then \`npx tsc --noEmit\` shows the CLI code a schema change broke)`);
  }
}
if (stale > 0) process.exit(1);
console.log(`codegen:check: ${outputs.map((o) => o.filename).join(', ')} is current`);
