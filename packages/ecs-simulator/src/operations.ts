/**
 * Handlers of one AWS service: operation name → function of the service's
 * state and the parsed request body, returning the response body (or throwing
 * an AwsError). Adding an operation is adding an entry.
 */
// biome-ignore lint/suspicious/noExplicitAny: each handler declares its own request type
export type Operations<S> = Record<string, (state: S, input: any) => unknown>;
