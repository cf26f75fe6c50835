import { describe, expect, it } from 'vitest';
import { diffTaskDefinitions, formatChanges } from './diff.js';

describe('diffTaskDefinitions', () => {
  const described = {
    taskDefinitionArn: 'arn:aws:ecs:ap-northeast-2:123456789012:task-definition/api:3',
    revision: 3,
    status: 'ACTIVE',
    family: 'api',
    networkMode: 'awsvpc',
    volumes: [],
    placementConstraints: [],
    containerDefinitions: [
      {
        name: 'api',
        image: 'repo/api:1',
        cpu: 0,
        essential: true,
        portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
        environment: [
          { name: 'B', value: '2' },
          { name: 'A', value: '1' },
        ],
        mountPoints: [],
        volumesFrom: [],
      },
    ],
  };
  const file = {
    family: 'api',
    networkMode: 'awsvpc',
    containerDefinitions: [
      {
        name: 'api',
        image: 'repo/api:1',
        portMappings: [{ containerPort: 8080 }],
        environment: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
      },
    ],
  };

  it('ignores describe-only keys, empty lists, ECS defaults and environment order', () => {
    expect(diffTaskDefinitions(described, file)).toEqual([]);
  });

  it('reads like a config change', () => {
    const next = structuredClone(file);
    next.containerDefinitions[0]!.image = 'repo/api:2';
    next.containerDefinitions[0]!.environment = [{ name: 'A', value: '9' }];
    expect(formatChanges(diffTaskDefinitions(described, next))).toEqual(
      [
        '- containerDefinitions[api].environment.B: "2"',
        '~ containerDefinitions[api].environment.A: "1" -> "9"',
        '~ containerDefinitions[api].image: "repo/api:1" -> "repo/api:2"',
      ].sort((a, b) => a.slice(2).localeCompare(b.slice(2))),
    );
  });
});
