import { describe, expect, it } from 'vitest';
import { deploySummary } from './summary.js';

describe('deploySummary', () => {
  it('shows the status, the services, the diff and why a service failed', () => {
    const markdown = deploySummary(
      {
        status: 'rolled-back',
        taskDefinitionArn: 'arn:td/api:2',
        previousTaskDefinitionArn: 'arn:td/api:1',
        services: [{ service: 'api', status: 'rolled-back', desired: 2, running: 0, rolloutState: 'FAILED', reason: 'circuit | breaker' }],
        changes: [{ kind: 'changed', path: 'containerDefinitions[api].image', before: '"a:1"', after: '"a:2"' }],
        diagnoses: [
          {
            service: 'api',
            stoppedTasks: [
              {
                taskId: 't1',
                stoppedReason: 'Essential container in task exited',
                containers: [{ name: 'api', exitCode: 1, logs: '/ecs/api ecs/api/t1' }],
              },
            ],
            events: ['(service api) deployment failed'],
          },
        ],
        notes: [],
        error: 'Deployment failed and was rolled back: api: circuit | breaker',
      },
      'shop',
    );
    expect(markdown).toContain('### ecs-deploy: rolled-back');
    expect(markdown).toContain('| api | rolled-back | 0 / 2 | FAILED |  | circuit \\| breaker |');
    expect(markdown).toContain('~ containerDefinitions[api].image: "a:1" -> "a:2"');
    expect(markdown).toContain('#### Why `api` failed');
    expect(markdown).toContain('| `t1` | Essential container in task exited | api | 1 |  |  | `/ecs/api ecs/api/t1` |');
    expect(markdown).toContain('- (service api) deployment failed');
  });

  it('tells how to resume a paused deployment', () => {
    const arn = 'arn:aws:ecs:ap-northeast-2:123456789012:service-deployment/shop/api/abc';
    const markdown = deploySummary(
      { status: 'paused', serviceDeploymentArn: arn, hookId: 'h-1', services: [], changes: [], diagnoses: [], notes: [] },
      'shop',
    );
    expect(markdown).toContain(`Paused: lifecycle hook \`h-1\` awaits a decision. Continue or roll back with \`resume: ${arn}\``);
  });
});
