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
  if (result.codeDeployDeploymentId) facts.push(`CodeDeploy ${code(result.codeDeployDeploymentId)}`);
  parts.push(facts.join(' · '));
  if (result.error) parts.push(`> ${result.error}`);
  if (result.status === 'paused' && result.serviceDeploymentArn) {
    parts.push(
      `Paused: lifecycle hook ${code(result.hookId ?? '')} awaits a decision. Continue or roll back with \`resume: ${result.serviceDeploymentArn}\` and \`decision: continue\` (or \`rollback\`).`,
    );
  }
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
