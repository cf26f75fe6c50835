// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are GitHub Actions expressions, not JS templates
import { describe, expect, it } from 'vitest';
import { evaluateCondition, interpolate, OK, type Status } from './expressions.js';

const FAILED: Status = { success: false, failure: true, cancelled: false };
const contexts = {
  inputs: { service: '', 'test-command': 'npm test' },
  needs: {
    resolve: { result: 'success', outputs: { deploy: 'true', vars: '{"cluster":"shop-dev","service":"api"}' } },
    test: { result: 'skipped', outputs: {} },
  },
};

describe('interpolate', () => {
  it('evaluates every ${{ }} with fromJSON, format, || defaults and missing keys as empty', () => {
    expect(
      interpolate(
        "${{ fromJSON(needs.resolve.outputs.vars).cluster }}/${{ inputs.service != '' && inputs.service || fromJSON(needs.resolve.outputs.vars).service }}",
        contexts,
      ),
    ).toBe('shop-dev/api');
    expect(interpolate("${{ format('test={0}', needs.test.result) }}", contexts)).toBe('test=skipped');
    expect(interpolate('[${{ needs.image.outputs.image }}]', contexts)).toBe('[]');
    expect(interpolate('plain', contexts)).toBe('plain');
  });
});

describe('evaluateCondition', () => {
  it('adds an implicit success() when no status function is used', () => {
    expect(evaluateCondition("needs.resolve.outputs.deploy == 'true'", contexts, OK)).toBe(true);
    expect(evaluateCondition("needs.resolve.outputs.deploy == 'true'", contexts, FAILED)).toBe(false);
    expect(evaluateCondition(undefined, contexts, FAILED)).toBe(false);
  });

  it('always() and failure() run after a failure; ${{ }} around the condition is accepted', () => {
    expect(evaluateCondition("always() && needs.test.result == 'skipped'", contexts, FAILED)).toBe(true);
    expect(evaluateCondition('${{ failure() }}', contexts, FAILED)).toBe(true);
    expect(evaluateCondition('${{ failure() }}', contexts, OK)).toBe(false);
    expect(evaluateCondition("inputs.test-command != ''", contexts, OK)).toBe(true);
    expect(evaluateCondition("inputs.service != ''", contexts, OK)).toBe(false);
  });
});
