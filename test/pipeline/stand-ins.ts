import { isAbsolute, join } from 'node:path';
import { buildOciLayout } from './oci-build.js';

/** What a stand-in for a third-party action did: its outputs and the env it exported (GITHUB_ENV). */
export interface StandInResult {
  outputs: Record<string, string>;
  env: Record<string, string>;
  log: string;
}

type StandIn = (inputs: Record<string, string>, workspace: string) => StandInResult;

const noop =
  (log: string): StandIn =>
  () => ({ outputs: {}, env: {}, log });

/** The dummy keys configure-aws-credentials "obtains"; the stack accepts any. */
export const DUMMY_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

function configureAwsCredentials(inputs: Record<string, string>): StandInResult {
  const region = inputs['aws-region'] ?? '';
  if (!region) throw new Error('aws-actions/configure-aws-credentials stand-in: input aws-region is required');
  // STS AssumeRoleWithWebIdentity: DurationSeconds from 900 to 43200 (and at most the role's MaxSessionDuration).
  const duration = inputs['role-duration-seconds'];
  if (duration && !(Number(duration) >= 900 && Number(duration) <= 43_200)) {
    throw new Error(`aws-actions/configure-aws-credentials stand-in: role-duration-seconds '${duration}' is outside 900..43200`);
  }
  return {
    outputs: { 'aws-account-id': '123456789012' },
    env: { ...DUMMY_CREDENTIALS, AWS_SESSION_TOKEN: 'stand-in-session', AWS_REGION: region, AWS_DEFAULT_REGION: region },
    log: `assumed ${inputs['role-to-assume'] || '(no role)'} in ${region} (stand-in: dummy credentials)`,
  };
}

function buildPush(inputs: Record<string, string>, workspace: string): StandInResult {
  const match = /(?:^|,)type=oci(?:,|$)/.test(inputs.outputs ?? '') ? /(?:^|,)dest=([^,]+)/.exec(inputs.outputs ?? '') : null;
  if (!match?.[1] || !/(?:^|,)tar=false(?:,|$)/.test(inputs.outputs ?? '')) {
    throw new Error(`docker/build-push-action stand-in supports only outputs: type=oci,tar=false,dest=DIR (got '${inputs.outputs ?? ''}')`);
  }
  const resolve = (path: string) => (isAbsolute(path) ? path : join(workspace, path));
  const context = resolve(inputs.context || '.');
  const dockerfile = resolve(inputs.file || join(inputs.context || '.', 'Dockerfile'));
  const digest = buildOciLayout(context, dockerfile, match[1]);
  return { outputs: { digest, imageid: digest }, env: {}, log: `built ${context} into an OCI layout at ${match[1]} (${digest})` };
}

/** Third-party actions by `owner/name` (the ref is ignored). Anything else is an error. */
const STAND_INS: Record<string, StandIn> = {
  'actions/checkout': noop('checkout: the workspace already is the sample app'),
  'actions/setup-node': noop('setup-node: Node from PATH'),
  'docker/setup-buildx-action': noop('setup-buildx: nothing to set up'),
  'aws-actions/configure-aws-credentials': configureAwsCredentials,
  'docker/build-push-action': buildPush,
};

export function standIn(uses: string): StandIn {
  const name = uses.split('@')[0] ?? '';
  const found = STAND_INS[name];
  if (!found) throw new Error(`no stand-in for the third-party action '${uses}': add one to test/pipeline/stand-ins.ts`);
  return found;
}
