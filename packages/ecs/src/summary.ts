import { code, markdownTable } from '@baepo/action-kit';
import { diagnosisMarkdown } from './diagnose.js';
import { formatChanges } from './diff.js';
import type { DeployResult } from './request.js';

/** The step summary: status, services, the task definition diff, and why anything failed. */
export function deploySummary(result: DeployResult, cluster: string): string {
  const parts = [`### ecs-deploy: ${result.status}`];
  const facts: string[] = [`cluster ${code(cluster)}`];
  if (result.taskDefinitionArn) facts.push(`task definition ${code(result.taskDefinitionArn)}`);
  if (result.previousTaskDefinitionArn) facts.push(`previous ${code(result.previousTaskDefinitionArn)}`);
  parts.push(facts.join(' · '));
  if (result.error) parts.push(`> ${result.error}`);
  if (result.services.length) {
    parts.push(
      markdownTable(
        ['service', 'status', 'running / desired', 'rollout', 'deployment', 'reason'],
        result.services.map((s) => [
          s.service,
          s.status,
          s.desired === undefined ? '' : `${s.running ?? 0} / ${s.desired}`,
          s.rolloutState ?? '',
          s.deploymentId ?? '',
          s.reason ?? '',
        ]),
      ),
    );
  }
  parts.push(
    result.changes.length
      ? `<details${result.status === 'dry-run' ? ' open' : ''}><summary>Task definition changes (${result.changes.length})</summary>\n\n\`\`\`diff\n${formatChanges(result.changes).join('\n')}\n\`\`\`\n\n</details>`
      : 'Task definition: no changes.',
  );
  for (const diagnosis of result.diagnoses) parts.push(diagnosisMarkdown(diagnosis));
  parts.push(...result.notes);
  return `${parts.join('\n\n')}\n`;
}
