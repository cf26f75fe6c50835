import type {
  CreateLogGroupRequest,
  CreateLogStreamRequest,
  DescribeLogGroupsRequest,
  DescribeLogStreamsRequest,
  GetLogEventsRequest,
  PutLogEventsRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import { AwsError } from './errors.js';
import type { Operations } from './operations.js';

interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

interface LogStream {
  name: string;
  creationTime: number;
  events: LogEvent[];
}

interface LogGroup {
  name: string;
  creationTime: number;
  streams: Map<string, LogStream>;
}

const groupNotFound = (): AwsError => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');

/**
 * A minimal CloudWatch Logs: groups, streams and events (timestamps in epoch
 * milliseconds, as the real API). Tasks that log with `awslogs` write here.
 */
export class LogsState {
  private readonly groups = new Map<string, LogGroup>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  reset(): void {
    this.groups.clear();
  }

  /** Append lines to a stream, creating the group and stream if needed (what the awslogs driver does for ECS). */
  write(group: string, stream: string, lines: string[], at = Date.now()): void {
    const target = this.ensureStream(this.ensureGroup(group), stream);
    for (const message of lines) target.events.push({ timestamp: at, message, ingestionTime: at });
  }

  /** Lines of a stream, for tests. */
  lines(group: string, stream: string): string[] {
    return (
      this.groups
        .get(group)
        ?.streams.get(stream)
        ?.events.map((e) => e.message) ?? []
    );
  }

  private ensureGroup(name: string): LogGroup {
    let group = this.groups.get(name);
    if (!group) {
      group = { name, creationTime: Date.now(), streams: new Map() };
      this.groups.set(name, group);
    }
    return group;
  }

  private ensureStream(group: LogGroup, name: string): LogStream {
    let stream = group.streams.get(name);
    if (!stream) {
      stream = { name, creationTime: Date.now(), events: [] };
      group.streams.set(name, stream);
    }
    return stream;
  }

  private group(name: string | undefined): LogGroup {
    const group = name ? this.groups.get(name) : undefined;
    if (!group) throw groupNotFound();
    return group;
  }

  private stream(groupName: string | undefined, name: string | undefined): LogStream {
    const stream = name ? this.group(groupName).streams.get(name) : undefined;
    if (!stream) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    return stream;
  }

  private groupArn(name: string): string {
    return `arn:aws:logs:${this.region}:${this.accountId}:log-group:${name}`;
  }

  readonly operations: Operations<LogsState> = {
    CreateLogGroup: (logs, input: CreateLogGroupRequest) => {
      if (!input.logGroupName) throw new AwsError('InvalidParameterException', 'logGroupName must be specified.');
      if (logs.groups.has(input.logGroupName)) {
        throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
      }
      logs.ensureGroup(input.logGroupName);
      return {};
    },
    CreateLogStream: (logs, input: CreateLogStreamRequest) => {
      const group = logs.group(input.logGroupName);
      if (!input.logStreamName) throw new AwsError('InvalidParameterException', 'logStreamName must be specified.');
      if (group.streams.has(input.logStreamName)) {
        throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
      }
      logs.ensureStream(group, input.logStreamName);
      return {};
    },
    PutLogEvents: (logs, input: PutLogEventsRequest) => {
      const stream = logs.stream(input.logGroupName, input.logStreamName);
      const now = Date.now();
      for (const event of input.logEvents ?? []) {
        stream.events.push({ timestamp: Number(event.timestamp ?? now), message: event.message ?? '', ingestionTime: now });
      }
      stream.events.sort((a, b) => a.timestamp - b.timestamp);
      return { nextSequenceToken: String(stream.events.length) };
    },
    GetLogEvents: (logs, input: GetLogEventsRequest) => {
      const events = logs
        .stream(input.logGroupName, input.logStreamName)
        .events.filter(
          (e) =>
            (input.startTime === undefined || e.timestamp >= Number(input.startTime)) &&
            (input.endTime === undefined || e.timestamp < Number(input.endTime)),
        );
      const limit = Math.min(input.limit ?? 10_000, 10_000);
      const token = /^[fb]\/(\d+)$/.exec(input.nextToken ?? '');
      let start: number;
      let end: number;
      if (token) {
        const position = Number(token[1]);
        [start, end] = input.nextToken?.startsWith('f/')
          ? [position, Math.min(events.length, position + limit)]
          : [Math.max(0, position - limit), position];
      } else if (input.startFromHead) {
        [start, end] = [0, Math.min(events.length, limit)];
      } else {
        [start, end] = [Math.max(0, events.length - limit), events.length];
      }
      return {
        events: events.slice(start, end),
        nextForwardToken: `f/${String(end).padStart(20, '0')}`,
        nextBackwardToken: `b/${String(start).padStart(20, '0')}`,
      };
    },
    DescribeLogStreams: (logs, input: DescribeLogStreamsRequest) => {
      let streams = [...logs.group(input.logGroupName).streams.values()].filter(
        (s) => !input.logStreamNamePrefix || s.name.startsWith(input.logStreamNamePrefix),
      );
      if (input.orderBy === 'LastEventTime') {
        streams.sort((a, b) => (a.events.at(-1)?.timestamp ?? 0) - (b.events.at(-1)?.timestamp ?? 0));
      } else {
        streams.sort((a, b) => a.name.localeCompare(b.name));
      }
      if (input.descending) streams.reverse();
      streams = streams.slice(0, input.limit ?? 50);
      return {
        logStreams: streams.map((s) => ({
          logStreamName: s.name,
          creationTime: s.creationTime,
          firstEventTimestamp: s.events[0]?.timestamp,
          lastEventTimestamp: s.events.at(-1)?.timestamp,
          lastIngestionTime: s.events.at(-1)?.ingestionTime,
          arn: `${logs.groupArn(input.logGroupName ?? '')}:log-stream:${s.name}`,
          storedBytes: 0,
        })),
      };
    },
    DescribeLogGroups: (logs, input: DescribeLogGroupsRequest) => ({
      logGroups: [...logs.groups.values()]
        .filter((g) => !input.logGroupNamePrefix || g.name.startsWith(input.logGroupNamePrefix))
        .map((g) => ({ logGroupName: g.name, creationTime: g.creationTime, arn: `${logs.groupArn(g.name)}:*`, storedBytes: 0 })),
    }),
  };
}
