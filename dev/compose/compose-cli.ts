import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiSchemaPath, composeSupergraph, supergraphPath } from './compose';

// `npm run compose`: writes schema/supergraph.graphql and schema/api.graphql, or explains why it cannot.
const composition = composeSupergraph();
if (!composition.ok) {
  console.error(`Composition failed with ${composition.errors.length} error(s):`);
  for (const error of composition.errors) console.error(`  - ${error}`);
  process.exit(1);
}
writeFileSync(supergraphPath, composition.supergraphSdl);
writeFileSync(apiSchemaPath, composition.apiSdl);
for (const hint of composition.hints) console.log(`hint: ${hint}`);
console.log(
  `wrote ${path.relative(process.cwd(), supergraphPath)} and ${path.relative(process.cwd(), apiSchemaPath)}`,
);
