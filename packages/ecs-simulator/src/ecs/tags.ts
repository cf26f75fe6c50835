import type { ListTagsForResourceRequest, Tag, TagResourceRequest, UntagResourceRequest } from '@aws-sdk/client-ecs';
import { AwsError } from '../errors.js';
import type { Operations } from '../operations.js';
import type { EcsState } from './state.js';

/** Tags live with a task definition revision, or in the state's map for every other ARN. */
function tagsOf(state: EcsState, arn: string | undefined): { get(): Tag[]; set(tags: Tag[]): void } {
  if (!arn?.startsWith('arn:aws:ecs:')) throw new AwsError('InvalidParameterException', 'The ARN provided is invalid.');
  const definition = arn.includes(':task-definition/') ? state.taskDefinition(arn) : undefined;
  if (definition) return { get: () => definition.tags, set: (tags) => (definition.tags = tags) };
  return { get: () => state.tags.get(arn) ?? [], set: (tags) => state.tags.set(arn, tags) };
}

export const tagOperations: Operations<EcsState> = {
  TagResource: (state, input: TagResourceRequest) => {
    const tags = tagsOf(state, input.resourceArn);
    const updates = input.tags ?? [];
    tags.set([...tags.get().filter((t) => !updates.some((u) => u.key === t.key)), ...updates]);
    return {};
  },
  UntagResource: (state, input: UntagResourceRequest) => {
    const tags = tagsOf(state, input.resourceArn);
    tags.set(tags.get().filter((t) => !input.tagKeys?.includes(t.key ?? '')));
    return {};
  },
  ListTagsForResource: (state, input: ListTagsForResourceRequest) => ({ tags: tagsOf(state, input.resourceArn).get() }),
};
