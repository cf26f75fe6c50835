export {
  BoundedNetworkRetries,
  type ClientConfig,
  type ClientOptions,
  clientConfig,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_READ_TIMEOUT_MS,
  NETWORK_ATTEMPTS,
  type NetworkTimeouts,
  networkTimeouts,
  resolveRegion,
  USER_AGENT,
} from './client-config.js';
export {
  type AwsErrorInfo,
  awsErrorInfo,
  describeAwsError,
  endpointVariable,
  explainAwsFailure,
  explainable,
  isAccessDenied,
  isAwsError,
  serviceEndpoint,
} from './errors.js';
