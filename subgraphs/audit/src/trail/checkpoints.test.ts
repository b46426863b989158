import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileCheckpointSink } from './checkpoints';

describe('FileCheckpointSink', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'audit-checkpoints-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('appends one JSON line per checkpoint and reads them back in order', async () => {
    const sink = new FileCheckpointSink(path.join(dir, 'nested', 'checkpoints.jsonl'));
    expect(await sink.readAll()).toEqual([]);
    const first = { sequence: '10', hash: 'a'.repeat(64), at: '2026-12-01T00:00:00.000Z' };
    const second = { sequence: '25', hash: 'b'.repeat(64), at: '2026-12-01T00:01:00.000Z' };
    await sink.append(first);
    await sink.append(second);
    expect(await sink.readAll()).toEqual([first, second]);
    expect(readFileSync(sink.file, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('refuses a malformed line rather than skipping it', async () => {
    const file = path.join(dir, 'bad.jsonl');
    writeFileSync(file, '{"sequence":"1","hash":"nothex","at":"x"}\n');
    await expect(new FileCheckpointSink(file).readAll()).rejects.toThrow(
      /malformed checkpoint at .*bad.jsonl:1/,
    );
  });
});
