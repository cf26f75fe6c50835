import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standIn } from './stand-ins.js';

describe('stand-ins', () => {
  it('an unknown third-party action is an error, never skipped', () => {
    expect(() => standIn('some/action@v1')).toThrow("no stand-in for the third-party action 'some/action@v1'");
  });

  it('configure-aws-credentials exports credentials and the region', () => {
    const result = standIn('aws-actions/configure-aws-credentials@v4')(
      { 'aws-region': 'eu-west-1', 'role-to-assume': 'arn:aws:iam::1:role/x' },
      '/tmp',
    );
    expect(result.env).toMatchObject({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: expect.any(String) });
    expect(result.log).toContain('arn:aws:iam::1:role/x');
  });

  it('configure-aws-credentials refuses a session STS would refuse (DurationSeconds 900..43200)', () => {
    const credentials = standIn('aws-actions/configure-aws-credentials@v4');
    for (const duration of ['899', '43201', 'abc'])
      expect(() => credentials({ 'aws-region': 'eu-west-1', 'role-duration-seconds': duration }, '/tmp')).toThrow(/outside 900\.\.43200/);
    expect(credentials({ 'aws-region': 'eu-west-1', 'role-duration-seconds': '43200' }, '/tmp').env.AWS_REGION).toBe('eu-west-1');
  });

  it('build-push-action writes a reproducible OCI layout whose manifest lists the context layer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baepo-standin-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCMD ["node", "server.js"]\n');
      writeFileSync(join(dir, 'server.js'), 'console.log(1)');
      const build = () =>
        standIn('docker/build-push-action@v6')({ context: '.', outputs: `type=oci,tar=false,dest=${join(dir, 'out')}` }, dir);
      const digest = build().outputs.digest;
      expect(build().outputs.digest).toBe(digest);
      const index = JSON.parse(readFileSync(join(dir, 'out', 'index.json'), 'utf8'));
      expect(index.manifests[0].digest).toBe(digest);
      const manifest = JSON.parse(readFileSync(join(dir, 'out', 'blobs', 'sha256', digest?.slice(7) ?? ''), 'utf8'));
      expect(manifest.layers).toHaveLength(1);
      const config = JSON.parse(readFileSync(join(dir, 'out', 'blobs', 'sha256', manifest.config.digest.slice(7)), 'utf8'));
      expect(config.config.Cmd).toEqual(['node', 'server.js']);
      expect(existsSync(join(dir, 'out', 'oci-layout'))).toBe(true);
      expect(() => standIn('docker/build-push-action@v6')({ context: '.', outputs: 'type=registry' }, dir)).toThrow(
        'supports only outputs',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
