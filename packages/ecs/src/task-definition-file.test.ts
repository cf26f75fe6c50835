import { describe, expect, it } from 'vitest';
import { parseTaskDefinitionFile } from './task-definition-file.js';

describe('parseTaskDefinitionFile', () => {
  const described = {
    taskDefinition: {
      taskDefinitionArn: 'arn:aws:ecs:ap-northeast-2:123456789012:task-definition/api:7',
      family: 'api',
      revision: 7,
      status: 'ACTIVE',
      requiresAttributes: [{ name: 'ecs.capability.execution-role-awslogs' }],
      compatibilities: ['EC2', 'FARGATE'],
      registeredAt: '2026-01-01T00:00:00Z',
      registeredBy: 'arn:aws:sts::123456789012:assumed-role/deploy',
      containerDefinitions: [{ name: 'api', image: 'repo/api:1' }],
    },
    tags: [],
  };

  it('accepts describe-task-definition output and strips describe-only keys', () => {
    const parsed = parseTaskDefinitionFile(JSON.stringify(described), 'td.json');
    expect(parsed).toEqual({ family: 'api', containerDefinitions: [{ name: 'api', image: 'repo/api:1' }] });
  });

  it('reads YAML', () => {
    const parsed = parseTaskDefinitionFile('family: api\ncontainerDefinitions:\n  - name: api\n    image: repo/api:1\n', 'td.yaml');
    expect(parsed.containerDefinitions?.[0]?.image).toBe('repo/api:1');
  });

  it('points at the line of a JSON syntax error', () => {
    const text = '{\n  "family": "api",\n  "containerDefinitions": [\n    { "name": "api", }\n  ]\n}\n';
    expect(() => parseTaskDefinitionFile(text, 'deploy/td.json')).toThrow(/deploy\/td\.json:4 is not valid JSON/);
  });

  it('points at the line of a YAML syntax error', () => {
    const text = 'family: api\ncontainerDefinitions:\n  - name: api\n    image: [unclosed\n';
    expect(() => parseTaskDefinitionFile(text, 'td.yml')).toThrow(/td\.yml:\d+ is not valid YAML/);
  });

  it('names unknown keys and suggests the near one', () => {
    expect(() => parseTaskDefinitionFile('{"family":"api","containerDefintions":[]}', 'td.json')).toThrow(
      /unknown key "containerDefintions"\. Did you mean 'containerDefinitions'\?/,
    );
    expect(() => parseTaskDefinitionFile('{"family":"api","containerDefinitions":[{"name":"api","imag":"x"}]}', 'td.json')).toThrow(
      /unknown key "imag" in container "api"\. Did you mean 'image'\?/,
    );
  });
});
