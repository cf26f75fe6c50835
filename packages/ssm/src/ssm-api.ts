import {
  GetParametersByPathCommand,
  type GetParametersByPathCommandInput,
  type GetParametersByPathCommandOutput,
  GetParametersCommand,
  type GetParametersCommandInput,
  type GetParametersCommandOutput,
  type SSMClient,
} from '@aws-sdk/client-ssm';

/** The two Parameter Store calls the loader makes; injected so tests can use fakes. */
export interface SsmApi {
  getParametersByPath(
    input: GetParametersByPathCommandInput,
    signal?: AbortSignal,
  ): Promise<Pick<GetParametersByPathCommandOutput, 'Parameters' | 'NextToken'>>;
  getParameters(
    input: GetParametersCommandInput,
    signal?: AbortSignal,
  ): Promise<Pick<GetParametersCommandOutput, 'Parameters' | 'InvalidParameters'>>;
}

/** SsmApi over a real SDK client (retries, throttling and endpoints are the client's job). */
export function ssmApi(client: SSMClient): SsmApi {
  return {
    getParametersByPath: (input, signal) => client.send(new GetParametersByPathCommand(input), { abortSignal: signal }),
    getParameters: (input, signal) => client.send(new GetParametersCommand(input), { abortSignal: signal }),
  };
}

export type ParameterType = 'String' | 'SecureString' | 'StringList';

/** One parameter as read from Parameter Store. */
export interface SsmParameter {
  name: string;
  type: ParameterType;
  value: string;
  version: number;
  /** `:3` or `:label` when it was requested with a selector. */
  selector?: string;
}

export function toSsmParameter(p: { Name?: string; Type?: string; Value?: string; Version?: number; Selector?: string }): SsmParameter {
  return {
    name: p.Name ?? '',
    type: (p.Type ?? 'String') as ParameterType,
    value: p.Value ?? '',
    version: p.Version ?? 0,
    ...(p.Selector ? { selector: p.Selector } : {}),
  };
}
