/** An error answered on the wire as `{"__type": name, "message": ...}`. */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const clientException = (message: string): AwsError => new AwsError('ClientException', message);
export const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);
