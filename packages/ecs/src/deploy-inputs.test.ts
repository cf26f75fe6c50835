import { describe, expect, it } from 'vitest';
import { type DeployInputs, toDeployRequest } from './deploy-inputs.js';

const inputs = (overrides: Partial<DeployInputs> = {}): DeployInputs => ({
  cluster: 'shop',
  service: ['api'],
  'task-definition': undefined,
  images: [],
  image: undefined,
  container: undefined,
  environment: [],
  secrets: [],
  'ssm-secrets-path': [],
  cpu: undefined,
  memory: undefined,
  'task-role-arn': undefined,
  'execution-role-arn': undefined,
  'desired-count': undefined,
  'force-new-deployment': false,
  'run-task-command': undefined,
  'run-task-container': undefined,
  wait: true,
  timeout: 1_800_000,
  'poll-interval': 10_000,
  rollback: 'auto',
  'on-cancel': 'leave',
  'dry-run': false,
  ...overrides,
});

describe('toDeployRequest', () => {
  it('shapes inputs into a request', () => {
    const request = toDeployRequest(
      inputs({
        images: [{ key: 'api', value: 'repo/api:1', line: 1 }],
        environment: [{ key: 'A', value: '1', line: 1 }],
        'run-task-command': 'npm run migrate',
        cpu: '0.5 vCPU',
        memory: '1024',
      }),
      'ap-northeast-2',
    );
    expect(request).toMatchObject({
      cluster: 'shop',
      services: ['api'],
      images: [{ container: 'api', image: 'repo/api:1' }],
      environment: [{ name: 'A', value: '1' }],
      runTaskCommand: ['npm', 'run', 'migrate'],
      cpu: '0.5 vCPU',
      memory: '1024',
    });
  });

  it('rejects values AWS would reject, naming the input and quoting the value', () => {
    expect(() => toDeployRequest(inputs({ cpu: 'lots' }), 'r')).toThrow(
      `Input 'cpu' must be CPU units ('256', '1024') or vCPUs ('0.5 vCPU'); got "lots".`,
    );
    expect(() => toDeployRequest(inputs({ memory: '2 GiB' }), 'r')).toThrow(/Input 'memory' must be MiB/);
    expect(() => toDeployRequest(inputs({ 'task-role-arn': 'app-role' }), 'r')).toThrow(/Input 'task-role-arn' must be an IAM role ARN/);
    expect(() => toDeployRequest(inputs({ environment: [{ key: 'BAD-NAME', value: 'x', line: 2 }] }), 'r')).toThrow(
      /Input 'environment' line 2: the name must be a variable name/,
    );
    expect(() => toDeployRequest(inputs({ secrets: [{ key: 'DB', value: '', line: 1 }] }), 'r')).toThrow(
      /Input 'secrets' line 1: give NAME=valueFrom/,
    );
    expect(() => toDeployRequest(inputs({ image: 'a:1', images: [{ key: 'api', value: 'b:1', line: 1 }] }), 'r')).toThrow(/both set/);
    expect(() => toDeployRequest(inputs({ service: [], 'run-task-command': 'migrate' }), 'r')).toThrow(/needs a 'service'/);
    expect(() => toDeployRequest(inputs({ service: ['api', 'api'] }), 'r')).toThrow(/lists "api" twice/);
  });
});
