import { randomBytes } from 'node:crypto';
import { BlindIndex } from './blind-index';

describe('BlindIndex', () => {
  it('is stable for one key, differs across keys and across email and phone', () => {
    const index = new BlindIndex(randomBytes(32));
    expect(index.email('jo@example.com')).toEqual(index.email('jo@example.com'));
    expect(index.email('jo@example.com')).not.toEqual(index.email('jo2@example.com'));
    expect(new BlindIndex(randomBytes(32)).email('jo@example.com')).not.toEqual(
      index.email('jo@example.com'),
    );
    expect(index.email('+61255501234')).not.toEqual(index.phone('+61255501234'));
    expect(index.phone('+61255501234').includes(Buffer.from('5550'))).toBe(false);
  });

  it('refuses a short key', () => {
    expect(() => new BlindIndex(randomBytes(16))).toThrow(/32 bytes/);
  });
});
