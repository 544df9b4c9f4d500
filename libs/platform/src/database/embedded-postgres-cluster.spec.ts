import { describe, expect, it } from '@jest/globals';
import { loadBinaries } from './embedded-postgres-cluster.js';

describe('loadBinaries', () => {
  it('says to set DB_HOST when the platform package is not installed (a production install)', async () => {
    await expect(loadBinaries('@embedded-postgres/not-a-platform')).rejects.toThrow(
      /@embedded-postgres\/not-a-platform is not installed[\s\S]*set DB_HOST/,
    );
  });

  it('finds the binaries of this machine in a development install', async () => {
    const binaries = await loadBinaries();
    expect(binaries.postgres).toMatch(/postgres$/);
    expect(binaries.initdb).toMatch(/initdb$/);
  });
});
