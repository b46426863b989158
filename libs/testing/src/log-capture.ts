import { Writable } from 'node:stream';

/** A log destination that keeps every chunk written to it in `lines`, for tests that read what was logged. */
export function logCapture(lines: string[]): () => Writable {
  return () =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
}
