import { randomBytes, randomUUID } from 'node:crypto';

/** 32 lowercase hex characters, like an ECS task id. */
export const taskId = (): string => randomBytes(16).toString('hex');

/** `ecs-svc/` and 19 digits, like an ECS deployment id. */
export const deploymentId = (): string => {
  let digits = String(1 + Math.floor(Math.random() * 8));
  while (digits.length < 19) digits += String(Math.floor(Math.random() * 10));
  return `ecs-svc/${digits}`;
};

export const uuid = (): string => randomUUID();
