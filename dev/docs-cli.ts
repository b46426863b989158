import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderErrorCodesMarkdown, renderPolicyMarkdown } from '@clinic/contracts';

// `npm run docs`: regenerates docs/error-codes.md from the error-code registry and docs/policy.md
// from the authorization policy table.
const target = path.resolve(__dirname, '..', 'docs', 'error-codes.md');
writeFileSync(target, renderErrorCodesMarkdown());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
const policy = path.resolve(__dirname, '..', 'docs', 'policy.md');
writeFileSync(policy, renderPolicyMarkdown());
console.log(`wrote ${path.relative(process.cwd(), policy)}`);
