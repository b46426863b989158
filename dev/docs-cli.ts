import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderErrorCodesMarkdown } from '@clinic/platform';

// `npm run docs`: regenerates docs/error-codes.md from the error-code registry.
const target = path.resolve(__dirname, '..', 'docs', 'error-codes.md');
writeFileSync(target, renderErrorCodesMarkdown());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
