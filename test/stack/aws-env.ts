/**
 * The environment an action needs to reach the local stack: dummy credentials,
 * a region, and the SDK's standard endpoint variables. No test-only code paths
 * exist in the actions; this is exactly how a user would point them elsewhere.
 */
export function awsEnv(
  endpoints: { all?: string; [service: string]: string | undefined },
  region = 'ap-northeast-2',
): Record<string, string> {
  const env: Record<string, string> = {
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const [service, url] of Object.entries(endpoints)) {
    if (!url) continue;
    env[service === 'all' ? 'AWS_ENDPOINT_URL' : `AWS_ENDPOINT_URL_${service.toUpperCase()}`] = url;
  }
  return env;
}
