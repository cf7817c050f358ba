import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/**
 * Where inspection photos are kept. This is the interface point for the attachment storage layer
 * (local disk by default, S3-compatible in production) being built separately: anything with
 * `put` and `get` by key can replace the local one.
 */
export interface PhotoStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer | null>;
}

/** Files under `<dataDir>/inspections/`, written to a temporary name and renamed, so a crash never leaves half a photo under its key. */
export function localPhotoStore(dataDir: string): PhotoStore {
  const root = resolve(dataDir, 'inspections');
  const pathOf = (key: string) => {
    if (!/^[0-9]+\/[0-9a-f-]{36}\.[a-z]{3,4}$/.test(key)) throw new Error(`bad photo key ${key}`);
    return join(root, key);
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(`${path}.part`, bytes);
      await rename(`${path}.part`, path);
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
  };
}
