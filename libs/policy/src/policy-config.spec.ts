import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_CONFIG, PolicyConfigError, validatePolicyConfig } from './policy-config';

describe('validatePolicyConfig', () => {
  it('overlays the defaults with the given keys', () => {
    expect(validatePolicyConfig()).toEqual(DEFAULT_POLICY_CONFIG);
    expect(validatePolicyConfig({ hiddenWidth: 96, maxAnswerLabels: 6 })).toEqual({ ...DEFAULT_POLICY_CONFIG, hiddenWidth: 96, maxAnswerLabels: 6 });
  });

  it('names an unknown key, a wrong type and sizes that do not divide', () => {
    const error = (value: unknown): PolicyConfigError => {
      try {
        validatePolicyConfig(value);
      } catch (caught) {
        return caught as PolicyConfigError;
      }
      throw new Error('accepted');
    };
    expect(error({ hiddenWidht: 64 })).toMatchObject({ name: 'PolicyConfigError', key: 'hiddenWidht' });
    expect(error({ hiddenWidht: 64 }).message).toMatch(/unknown policy config key "hiddenWidht"/);
    expect(error({ imageSize: '32' }).message).toMatch(/"imageSize" must be a finite number/);
    expect(error({ patchSize: 5 }).message).toMatch(/"patchSize" \(5\) must divide "imageSize" \(32\)/);
    expect(error({ ecgPatchLength: 60 }).message).toMatch(/must divide 2500/);
    expect(error({ maxAnswerLabels: 0 }).key).toBe('maxAnswerLabels');
    expect(error({ contextWidth: 2.5 }).key).toBe('contextWidth');
    expect(error({ adamBeta2: 1 }).key).toBe('adamBeta2');
    expect(error([1]).message).toMatch(/JSON object/);
    expect(validatePolicyConfig({ maxBoxes: 0 }).maxBoxes).toBe(0);
  });
});
