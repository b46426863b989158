import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useBroker } from './test-topics';

describe('useBroker', () => {
  const dir = () => mkdtempSync(path.join(os.tmpdir(), 'broker-users-'));

  it('counts the other processes that use the broker while they run, never itself', () => {
    const users = dir();
    const use = useBroker(users);
    expect(use.others()).toBe(0);
    writeFileSync(path.join(users, String(process.ppid)), ''); // our parent, running
    expect(use.others()).toBe(1);
  });

  it('forgets a process that has gone, and is forgotten once released', () => {
    const users = dir();
    const use = useBroker(users);
    const gone = path.join(users, '4194305'); // above Linux's largest pid: never running
    writeFileSync(gone, '');
    expect(use.others()).toBe(0);
    expect(existsSync(gone)).toBe(false);
    use.release();
    expect(readdirSync(users)).toEqual([]);
  });
});
