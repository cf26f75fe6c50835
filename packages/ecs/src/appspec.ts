import { createHash } from 'node:crypto';
import type { Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '@baepo/action-kit';
import { parse } from 'yaml';

/** What CodeDeploy's CreateDeployment takes as `revision.appSpecContent`. */
export interface AppSpecContent {
  content: string;
  sha256: string;
}

interface TargetService {
  Type?: string;
  Properties?: { TaskDefinition?: string; LoadBalancerInfo?: { ContainerName?: string; ContainerPort?: number } };
}

/**
 * The ECS AppSpec for a CodeDeploy deployment: the file's (hooks and
 * everything else kept) with TaskDefinition set to the new revision, or one
 * generated from the service's load-balanced container and port.
 */
export function renderAppSpec(service: Service, taskDefinitionArn: string, file?: { path: string; text: string }): AppSpecContent {
  let spec: { version?: unknown; Resources?: { [name: string]: TargetService }[]; [key: string]: unknown };
  if (file) {
    try {
      spec = parse(file.text) ?? {};
    } catch (error) {
      throw new ConfigurationError(`Input 'appspec': ${file.path} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`, {
        input: 'appspec',
      });
    }
    const target = Object.values(spec.Resources?.[0] ?? {})[0];
    if (!target?.Properties?.LoadBalancerInfo?.ContainerName) {
      throw new ConfigurationError(
        `Input 'appspec': ${file.path} needs Resources[0].<name>.Properties with TaskDefinition and LoadBalancerInfo (ContainerName, ContainerPort), as in the ECS AppSpec reference.`,
        { input: 'appspec' },
      );
    }
    target.Properties.TaskDefinition = taskDefinitionArn;
  } else {
    const lb = service.loadBalancers?.find((l) => l.containerName && l.containerPort);
    if (!lb) {
      throw new ConfigurationError(
        `Service '${service.serviceName}' has no load-balanced container to build an AppSpec from; give 'appspec' (a file) with LoadBalancerInfo.`,
        { input: 'appspec' },
      );
    }
    spec = {
      version: 0.0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: taskDefinitionArn,
              LoadBalancerInfo: { ContainerName: lb.containerName, ContainerPort: lb.containerPort },
            },
          },
        },
      ],
    };
  }
  const content = JSON.stringify(spec);
  return { content, sha256: createHash('sha256').update(content).digest('hex') };
}
