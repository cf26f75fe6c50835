export { type ClientConfig, clientConfig, resolveRegion, USER_AGENT } from './client-config.js';
export { type AwsErrorInfo, awsErrorInfo, describeAwsError, isAccessDenied, isAwsError } from './errors.js';
