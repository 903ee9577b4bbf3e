import { describe, expect, it } from 'vitest';
import { SplitPlanner, mostHeldOut, patientUnitHash } from './split-assignment';

function planned(patients: number, method: 'stratified' | 'hash' = 'stratified', namespace = 'derm/ham10000'): SplitPlanner {
  const planner = new SplitPlanner(namespace, { validation: 0.1, test: 0.2 }, method);
  for (let index = 0; index < patients; index += 1) planner.addRow(`patient-${index}`, [index % 5 === 0 ? 'Melanoma' : 'Nevus'], null);
  return planner;
}

describe('SplitPlanner', () => {
  it('derives exact shares per label stratum from the unsalted patient identity', () => {
    const splits = planned(1000).assign();
    const count = (label: string, split: string) =>
      [...splits].filter(([key, value]) => value === split && (Number(key.slice(8)) % 5 === 0) === (label === 'Melanoma')).length;
    expect(count('Melanoma', 'test')).toBe(40);
    expect(count('Nevus', 'test')).toBe(160);
    expect(count('Melanoma', 'validation') + count('Nevus', 'validation')).toBe(100);
    // Deterministic, and independent of the order patients were seen in.
    const reversed = new SplitPlanner('derm/ham10000', { validation: 0.1, test: 0.2 });
    for (let index = 999; index >= 0; index -= 1) reversed.addRow(`patient-${index}`, [index % 5 === 0 ? 'Melanoma' : 'Nevus'], null);
    expect(new Map(reversed.assign())).toEqual(new Map(splits));
  });

  it('keeps the official split, carves validation from official train, and keeps a patient whole', () => {
    const planner = new SplitPlanner('chest_xray/vindr', { validation: 0.25, test: 0.5 });
    for (let index = 0; index < 40; index += 1) planner.addRow(`train-${index}`, ['No finding'], 'train');
    for (let index = 0; index < 10; index += 1) planner.addRow(`test-${index}`, ['No finding'], 'test');
    // A patient with rows in both official splits goes to the held-out one.
    planner.addRow('both', ['No finding'], 'train');
    planner.addRow('both', ['No finding'], 'test');
    const splits = planner.assign();
    expect([...splits].filter(([key, split]) => key.startsWith('test-') && split === 'test')).toHaveLength(10);
    expect(splits.get('both')).toBe('test');
    expect([...splits].filter(([, split]) => split === 'validation')).toHaveLength(10);
    expect(planner.describe().source).toBe('official+validation-carved');
  });

  it('hash splits are stable when patients are added', () => {
    const small = planned(200, 'hash').assign();
    const large = planned(400, 'hash').assign();
    for (const [key, split] of small) expect(large.get(key)).toBe(split);
    const testShare = [...large.values()].filter((split) => split === 'test').length / 400;
    expect(testShare).toBeGreaterThan(0.12);
    expect(testShare).toBeLessThan(0.28);
  });

  it('refuses shares that leave no training data', () => {
    expect(() => new SplitPlanner('x', { validation: 0.5, test: 0.5 })).toThrow(RangeError);
  });

  it('orders held-out splits and hashes into [0, 1)', () => {
    expect(mostHeldOut('train', 'validation')).toBe('validation');
    expect(mostHeldOut('test', 'validation')).toBe('test');
    expect(mostHeldOut(null, 'train')).toBe('train');
    const u = patientUnitHash('a', 'b');
    expect(u).toBeGreaterThanOrEqual(0);
    expect(u).toBeLessThan(1);
    expect(patientUnitHash('a', 'b')).toBe(u);
    expect(patientUnitHash('a2', 'b')).not.toBe(u);
  });
});
