/** Writers that never leave a partial file: write `name.tmp`, fsync, rename. */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/** Writes a whole file atomically. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const out = new AtomicFile(path);
  out.write(typeof data === 'string' ? Buffer.from(data) : data);
  out.commit();
}

/** A file written in pieces under a temporary name and renamed into place by commit(). */
export class AtomicFile {
  private readonly tmp: string;
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.tmp = `${path}.tmp`;
    this.fd = openSync(this.tmp, 'w');
  }

  write(bytes: Uint8Array): void {
    if (this.fd === undefined) throw new Error(`${this.path}: write after commit/abort`);
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off);
  }

  commit(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
    renameSync(this.tmp, this.path);
  }

  /** Drops the temporary file (on error or interrupt). */
  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.tmp, { force: true });
  }
}
