import { boolean, choice, duration, integer, keyValues, list, text } from '@baepo/action-kit';
import { PAUSE_STAGES } from '@baepo/ecs';

/** The inputs of actions/ecs-deploy/action.yml; test/unit/action-yml.test.ts keeps them in step. */
export const inputs = {
  'aws-region': text(),
  cluster: text({ required: true }),
  service: list(),
  'task-definition': text(),
  images: keyValues(),
  image: text(),
  container: text(),
  environment: keyValues(),
  secrets: keyValues(),
  'ssm-secrets-path': text(),
  cpu: text(),
  memory: text(),
  'task-role-arn': text(),
  'execution-role-arn': text(),
  'desired-count': integer({ min: 0 }),
  'force-new-deployment': boolean({ default: false }),
  'run-task-command': text(),
  'run-task-container': text(),
  wait: boolean({ default: true }),
  timeout: duration({ default: '30m', min: 100, max: 6 * 3_600_000 }),
  'poll-interval': duration({ default: '10s', min: 100, max: 3_600_000 }),
  rollback: choice(['auto', 'none'], { default: 'auto' }),
  'on-cancel': choice(['leave', 'rollback'], { default: 'leave' }),
  'dry-run': boolean({ default: false }),
  strategy: choice(['rolling', 'blue-green', 'linear', 'canary', 'codedeploy']),
  'bake-time': duration(),
  'canary-percent': text(),
  'canary-bake-time': duration(),
  'linear-step-percent': text(),
  'linear-step-bake-time': duration(),
  'pause-at': choice(PAUSE_STAGES),
  resume: text(),
  decision: choice(['continue', 'rollback']),
};

export const outputs = [
  'task-definition-arn',
  'previous-task-definition-arn',
  'deployment-id',
  'status',
  'services',
  'service-deployment-arn',
  'hook-id',
] as const;
