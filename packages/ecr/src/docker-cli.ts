import { ConfigurationError } from '@baepo/action-kit';
import type { RunCommand } from './command.js';

/** The Docker CLI steps ecr-push uses; the password only ever goes to stdin. */
export class DockerCli {
  constructor(
    readonly path: string,
    private readonly run: RunCommand,
    private readonly signal?: AbortSignal,
  ) {}

  private async exec(args: string[], input?: string): Promise<string> {
    const result = await this.run(this.path, args, { input, signal: this.signal });
    if (result.code !== 0) {
      const detail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join(' | ');
      throw new ConfigurationError(`'docker ${args[0]}' failed (exit ${result.code}): ${detail}`);
    }
    return result.stdout;
  }

  async login(registry: string, username: string, password: string): Promise<void> {
    await this.exec(['login', '--username', username, '--password-stdin', registry], password);
  }

  async tag(source: string, target: string): Promise<void> {
    await this.exec(['tag', source, target]);
  }

  /** `docker push`; returns its output and the digest from its `digest: sha256:... size: N` line. */
  async push(reference: string): Promise<{ digest: string; output: string }> {
    const output = await this.exec(['push', reference]);
    const match = /digest: (sha256:[a-f0-9]{64})/.exec(output);
    if (!match) throw new Error(`'docker push ${reference}' printed no 'digest: sha256:...' line:\n${output.slice(-2000)}`);
    return { digest: match[1] as string, output };
  }

  /** The repository digests Docker knows for a local image (`registry/repo@sha256:...`). */
  async repoDigests(image: string): Promise<string[]> {
    const result = await this.run(this.path, ['image', 'inspect', '--format', '{{json .RepoDigests}}', image], { signal: this.signal });
    if (result.code !== 0) {
      throw new ConfigurationError(
        `Input 'image' ${JSON.stringify(image)} is not a local Docker image (docker image inspect: ${result.stderr.trim()}). Build or pull it first.`,
        { input: 'image' },
      );
    }
    try {
      const digests = JSON.parse(result.stdout.trim() || '[]') as unknown;
      return Array.isArray(digests) ? digests.filter((d): d is string => typeof d === 'string') : [];
    } catch {
      return [];
    }
  }
}
