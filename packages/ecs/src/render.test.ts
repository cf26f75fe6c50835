import { describe, expect, it } from 'vitest';
import { renderTaskDefinition } from './render.js';

const base = {
  family: 'shop',
  containerDefinitions: [
    { name: 'api', image: 'repo/api:1', environment: [{ name: 'A', value: '1' }] },
    { name: 'proxy', image: 'repo/proxy:1' },
  ],
};
const none = { images: [], environment: [], secrets: [] };
const digest = `sha256:${'c'.repeat(64)}`;

describe('renderTaskDefinition', () => {
  it('gives each container its own image and upserts environment and secrets', () => {
    const rendered = renderTaskDefinition(base, {
      ...none,
      images: [
        { container: 'api', image: `123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/api@${digest}` },
        { container: 'proxy', image: 'localhost:5000/proxy:2' },
      ],
      container: 'api',
      environment: [
        { name: 'A', value: '2' },
        { name: 'B', value: 'x' },
      ],
      secrets: [{ name: 'DB', valueFrom: 'arn:aws:ssm:ap-northeast-2:123456789012:parameter/db' }],
      cpu: '512',
    });
    expect(rendered.containerDefinitions?.map((c) => c.image)).toEqual([
      `123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/api@${digest}`,
      'localhost:5000/proxy:2',
    ]);
    expect(rendered.containerDefinitions?.[0]?.environment).toEqual([
      { name: 'A', value: '2' },
      { name: 'B', value: 'x' },
    ]);
    expect(rendered.containerDefinitions?.[0]?.secrets).toHaveLength(1);
    expect(rendered.cpu).toBe('512');
    expect(base.containerDefinitions[0]?.image).toBe('repo/api:1');
  });

  it('needs container for environment when there are several, listing them', () => {
    expect(() => renderTaskDefinition(base, { ...none, environment: [{ name: 'A', value: '1' }] })).toThrow(
      /has 2: api, proxy\. Set 'container' to one of them/,
    );
    expect(() => renderTaskDefinition(base, { ...none, image: 'x:1' })).toThrow(/use 'images'/i);
  });

  it('rejects invalid image references, naming the container', () => {
    expect(() => renderTaskDefinition(base, { ...none, images: [{ container: 'api', image: 'Repo/API:latest' }] })).toThrow(
      /"Repo\/API:latest" is not a valid image reference for container "api"/,
    );
    expect(() => renderTaskDefinition(base, { ...none, images: [{ container: 'api', image: 'repo@sha256:abc' }] })).toThrow(
      /not a valid image reference/,
    );
  });
});
