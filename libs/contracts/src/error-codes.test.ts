import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appError, ERROR_CODES, isErrorCode, renderErrorCodesMarkdown } from './error-codes';

describe('error codes', () => {
  it('docs/error-codes.md is generated from the registry (run `npm run docs` if this fails)', () => {
    const committed = readFileSync(path.resolve(__dirname, '../../../docs/error-codes.md'), 'utf8');
    expect(committed).toBe(renderErrorCodesMarkdown());
  });

  it('documents every code it can raise', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(renderErrorCodesMarkdown()).toContain(`\`${code}\``);
    expect(appError('FORBIDDEN', 'no').extensions['code']).toBe('FORBIDDEN');
    expect(isErrorCode('FORBIDDEN')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });
});
