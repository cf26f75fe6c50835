/** ARNs the way ECS spells them, for one region and account. */
export class Arns {
  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  private base(resource: string): string {
    return `arn:aws:ecs:${this.region}:${this.accountId}:${resource}`;
  }
  cluster(name: string): string {
    return this.base(`cluster/${name}`);
  }
  service(cluster: string, name: string): string {
    return this.base(`service/${cluster}/${name}`);
  }
  task(cluster: string, id: string): string {
    return this.base(`task/${cluster}/${id}`);
  }
  container(cluster: string, id: string): string {
    return this.base(`container/${cluster}/${id}`);
  }
  taskDefinition(family: string, revision: number): string {
    return this.base(`task-definition/${family}:${revision}`);
  }
  serviceDeployment(cluster: string, service: string, id: string): string {
    return this.base(`service-deployment/${cluster}/${service}/${id}`);
  }
  serviceRevision(cluster: string, service: string, id: string): string {
    return this.base(`service-revision/${cluster}/${service}/${id}`);
  }
  /** An ARN of another region or account: not a resource of this regional endpoint. */
  foreign(ref: string | undefined): boolean {
    if (!ref?.startsWith('arn:')) return false;
    const [, , , region, account] = ref.split(':');
    return region !== this.region || account !== this.accountId;
  }
  /** The identity every call is made as (the CI role). */
  caller(): string {
    return `arn:aws:sts::${this.accountId}:assumed-role/deploy/ci`;
  }
}

/** `arn:...:cluster/x` → `x`; `arn:...:service/c/x` → `x`; a plain name is returned as is. */
export const lastSegment = (ref: string): string => ref.slice(ref.lastIndexOf('/') + 1);
