import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DrpoEstimator, type DrpoHistorySnapshot, type DrpoMode } from './drpo-advantage';
import { GroupSizeError, besselStd, grpoAdvantages, type QuestionRollouts } from './grpo-advantage';
import { dampAdvantagesByKl, quantile } from './kl-damping';

const MODES: DrpoMode[] = ['code', 'fixed', 'incremental'];
/** Rewards as training produces them: set-F1 values times the weights, on the format grid. */
const reward = fc.constantFrom(0, 0.1, 0.2, 0.35, 0.45, 0.5, 0.6, 0.7, 0.85, 1);
const question = (domains: string[]) =>
  fc.record({ domainKey: fc.constantFrom(...domains), rewards: fc.array(reward, { minLength: 5, maxLength: 5 }) });
const batch = (domains = ['ct/lndb', 'mri/brain_tumor', 'ecg/ptb-xl']) => fc.array(question(domains), { minLength: 2, maxLength: 12 });

describe('GRPO', () => {
  it('normalizes each group by its mean and Bessel std (+1e-6)', () => {
    const [a, b, c] = grpoAdvantages([{ domainKey: 'x', rewards: [0, 1, 2] }]);
    expect([a, b, c]).toEqual([-1 / (1 + 1e-6), 0, 1 / (1 + 1e-6)]);
  });
  it('gives 0 to a group whose rewards are all equal', () => {
    expect(Array.from(grpoAdvantages([{ domainKey: 'x', rewards: [0.4, 0.4, 0.4] }]))).toEqual([0, 0, 0]);
  });
  it('rejects unequal group sizes with a clear error', () => {
    const unequal: QuestionRollouts[] = [
      { domainKey: 'a', rewards: [1, 0, 1] },
      { domainKey: 'b', rewards: [1, 0] },
    ];
    expect(() => grpoAdvantages(unequal)).toThrow(GroupSizeError);
    expect(() => new DrpoEstimator().stepBatch(unequal)).toThrow(/question 1 \(b\) has 2 rollouts, the first has 3/);
  });
});

describe('DRPO properties (fast-check)', () => {
  it('keeps every group summing to zero without damping', () => {
    fc.assert(
      fc.property(fc.array(batch(), { minLength: 1, maxLength: 3 }), fc.constantFrom<DrpoMode>('fixed', 'incremental'), (steps, mode) => {
        const estimator = new DrpoEstimator({ mode, seed: 3 });
        for (const questions of steps) {
          const { advantages } = estimator.stepBatch(questions);
          questions.forEach((_, q) => {
            const group = advantages.subarray(q * 5, q * 5 + 5);
            const scale = Math.max(1, ...Array.from(group, Math.abs));
            expect(Math.abs(group.reduce((a, b) => a + b, 0))).toBeLessThan(1e-9 * scale);
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('never gives a smaller scale to a domain with fewer questions at equal μ_d', () => {
    fc.assert(
      fc.property(fc.array(fc.array(reward, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), (vectors, few, extra) => {
        // The rare domain holds each vector `few` times, the common one `few + extra` times: same clusters, same μ_d.
        const questions: QuestionRollouts[] = [];
        for (const rewards of vectors) {
          for (let i = 0; i < few; i++) questions.push({ domainKey: 'rare', rewards });
          for (let i = 0; i < few + extra; i++) questions.push({ domainKey: 'common', rewards });
        }
        const result = new DrpoEstimator({ mode: 'fixed', seed: 5 }).stepBatch(questions);
        expect(result.domains.rare.domainMean).toBeCloseTo(result.domains.common.domainMean, 12);
        questions.forEach((rare, q) => {
          if (rare.domainKey !== 'rare') return;
          const common = questions.findIndex((c) => c.domainKey === 'common' && c.rewards === rare.rewards);
          const scale = (i: number): number => 1 / (result.domainTemperature[i] * result.clusterTemperature[i]);
          expect(1 / result.domainTemperature[q]).toBeGreaterThanOrEqual(1 / result.domainTemperature[common]);
          expect(scale(q)).toBeGreaterThanOrEqual(scale(common) * (1 - 1e-12));
        });
      }),
      { numRuns: 80 },
    );
  });

  it('equals GRPO divided by its batch std when every temperature is forced to 1', () => {
    fc.assert(
      fc.property(batch(), fc.constantFrom(...MODES), (questions, mode) => {
        const drpo = new DrpoEstimator({ mode, temperatures: 'unit' }).stepBatch(questions).advantages;
        const grpo = grpoAdvantages(questions);
        const std = besselStd(grpo);
        expect(Array.from(drpo)).toEqual(Array.from(grpo, (s) => s / (std + 1e-6)));
      }),
      { numRuns: 60 },
    );
  });

  it('continues bit for bit after save → JSON → restore, in every mode', () => {
    fc.assert(
      fc.property(fc.array(batch(), { minLength: 2, maxLength: 5 }), fc.constantFrom(...MODES), fc.integer({ min: 0, max: 1000 }), (steps, mode, seed) => {
        const uninterrupted = new DrpoEstimator({ mode, seed });
        const first = new DrpoEstimator({ mode, seed });
        for (const questions of steps.slice(0, -1)) {
          uninterrupted.stepBatch(questions);
          first.stepBatch(questions);
        }
        const saved = JSON.parse(JSON.stringify(first.snapshot())) as DrpoHistorySnapshot;
        const resumed = DrpoEstimator.restore(saved, { seed });
        const last = steps[steps.length - 1];
        const a = uninterrupted.stepBatch(last);
        const b = resumed.stepBatch(last);
        expect(Buffer.from(b.advantages.buffer)).toEqual(Buffer.from(a.advantages.buffer));
        expect(resumed.snapshot()).toEqual(uninterrupted.snapshot());
      }),
      { numRuns: 45 },
    );
  });
});

describe('DRPO as QoQ-Med §2 defines it', () => {
  it('weights cluster means by inverse size: clusters of 90 at 0.2 and 10 at 0.9 give μ_d ≈ 0.83', () => {
    const questions: QuestionRollouts[] = [
      ...Array.from({ length: 90 }, () => ({ domainKey: 'd', rewards: [0.2, 0.2, 0.2, 0.2, 0.2] })),
      ...Array.from({ length: 10 }, () => ({ domainKey: 'd', rewards: [0.9, 0.9, 0.9, 0.9, 0.9] })),
    ];
    const result = new DrpoEstimator({ mode: 'fixed' }).stepBatch(questions);
    const expected = (0.2 / 90 + 0.9 / 10) / (1 / 90 + 1 / 10);
    expect(result.domains.d.k).toBe(2);
    expect(result.domains.d.domainMean).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(0.83, 2);
    expect(result.domains.d.domainTemperature).toBeCloseTo(Math.sqrt(100) * expected, 12);
    expect(result.domains.d.zeroVarianceShare).toBe(1);
    // The paper's plain mean instead: (90·0.2 + 10·0.9) / 100 = 0.27.
    expect(new DrpoEstimator({ domainMean: 'plain' }).stepBatch(questions).domains.d.domainMean).toBeCloseTo(0.27, 12);
  });

  it('gives rare and hard domains larger advantages than common and easy ones', () => {
    const questions: QuestionRollouts[] = [];
    for (let i = 0; i < 40; i++) questions.push({ domainKey: 'common-easy', rewards: i % 2 ? [1, 0.9, 1, 0.9, 1] : [0.9, 1, 0.9, 1, 0.9] });
    for (let i = 0; i < 4; i++) questions.push({ domainKey: 'rare-hard', rewards: i % 2 ? [0.1, 0, 0.1, 0, 0.1] : [0, 0.1, 0, 0.1, 0] });
    const { advantages } = new DrpoEstimator().stepBatch(questions);
    const meanAbs = (from: number, to: number): number => Array.from(advantages.subarray(from * 5, to * 5), Math.abs).reduce((a, b) => a + b, 0) / ((to - from) * 5);
    expect(meanAbs(40, 44)).toBeGreaterThan(5 * meanAbs(0, 40));
  });

  it('code mode divides by an unclamped T_c of 0 (a cluster of zero rewards) and fixed mode does not', () => {
    const questions: QuestionRollouts[] = [
      { domainKey: 'd', rewards: [0, 0, 0, 0, 0] },
      { domainKey: 'd', rewards: [1, 0, 1, 0, 1] },
      { domainKey: 'e', rewards: [0.5, 0.2, 0.1, 0.9, 0.3] },
    ];
    expect(new DrpoEstimator({ mode: 'code' }).stepBatch(questions).advantages.some(Number.isNaN)).toBe(true);
    const fixed = new DrpoEstimator({ mode: 'fixed' }).stepBatch(questions);
    expect(fixed.advantages.every(Number.isFinite)).toBe(true);
    expect(Array.from(fixed.advantages.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
  });

  it('keys domains by whatever key the caller chooses (dataset_key keeps mammo/vindr apart from chest_xray/vindr)', () => {
    const result = new DrpoEstimator().stepBatch([
      { domainKey: 'mammo/vindr', rewards: [1, 0, 1, 0, 1] },
      { domainKey: 'chest_xray/vindr', rewards: [1, 0, 0, 0, 1] },
    ]);
    expect(Object.keys(result.domains)).toEqual(['mammo/vindr', 'chest_xray/vindr']);
  });

  it('counts pseudo-questions of an opt-in seeded history in N_d', () => {
    const estimator = new DrpoEstimator();
    estimator.seedHistory({ 'mri/brain_tumor': { questionCount: 50, meanReward: 0.3 } }, 5);
    const result = estimator.stepBatch([{ domainKey: 'mri/brain_tumor', rewards: [1, 0, 1, 0, 1] }]);
    expect(result.domains['mri/brain_tumor'].questionCount).toBe(51);
    expect(() => estimator.seedHistory({ x: { questionCount: 1.5, meanReward: 0 } }, 5)).toThrow(/positive integer/);
  });

  it('observe() adds a batch to the history exactly as a step does', () => {
    const b1: QuestionRollouts[] = [{ domainKey: 'a', rewards: [1, 0, 0.5, 0.5, 1] }, { domainKey: 'b', rewards: [0, 0, 0.1, 0, 0] }];
    const b2: QuestionRollouts[] = [{ domainKey: 'a', rewards: [0.2, 0, 0.5, 0.7, 1] }, { domainKey: 'b', rewards: [0.3, 0, 0.1, 0, 0] }];
    const stepped = new DrpoEstimator({ seed: 4 });
    stepped.stepBatch(b1);
    const observed = new DrpoEstimator({ seed: 4 });
    observed.observe(b1);
    expect(Array.from(observed.stepBatch(b2).advantages)).toEqual(Array.from(stepped.stepBatch(b2).advantages));
  });

  it('keeps the incremental summary bounded however long the run', () => {
    const estimator = new DrpoEstimator({ mode: 'incremental', maxCells: 32 });
    let state = 1;
    const next = (): number => ((state = (state * 16807) % 2147483647) / 2147483647);
    for (let step = 0; step < 40; step++) {
      estimator.stepBatch(Array.from({ length: 16 }, () => ({ domainKey: 'd', rewards: Array.from({ length: 5 }, next) })));
    }
    const [[, domain]] = estimator.snapshot().domains;
    expect(domain.kind).toBe('summary');
    if (domain.kind === 'summary') {
      expect(domain.cells.length).toBeLessThanOrEqual(32);
      // One axis is coarsened at a time, which at most halves the cells: the summary stays well filled.
      expect(domain.cells.length).toBeGreaterThan(16);
      expect(domain.cells.reduce((n, cell) => n + cell.count, 0)).toBe(640);
      expect(domain.questionCount).toBe(640);
    }
  });

  it('restores an incremental snapshot written before per-axis cell sizes (one cellSize for every axis)', () => {
    const estimator = new DrpoEstimator({ mode: 'incremental', maxCells: 32 });
    estimator.stepBatch(Array.from({ length: 8 }, (_, i) => ({ domainKey: 'd', rewards: [0, 0.5, 1, 0.25, i / 8] })));
    const snapshot = JSON.parse(JSON.stringify(estimator.snapshot())) as DrpoHistorySnapshot;
    for (const [, domain] of snapshot.domains) {
      if (domain.kind !== 'summary') continue;
      const legacy = domain as { cellSizes?: number[]; cellSize?: number };
      legacy.cellSize = legacy.cellSizes?.[0];
      delete legacy.cellSizes;
    }
    const resumed = DrpoEstimator.restore(snapshot);
    const [[, domain]] = resumed.snapshot().domains;
    expect(domain.kind === 'summary' && domain.cellSizes).toEqual([1 / 1024, 1 / 1024, 1 / 1024, 1 / 1024, 1 / 1024]);
    expect(() => resumed.stepBatch([{ domainKey: 'd', rewards: [1, 1, 0, 0, 1] }])).not.toThrow();
  });

  it('refuses a snapshot of another mode', () => {
    const snapshot = new DrpoEstimator({ mode: 'code' }).snapshot();
    expect(() => DrpoEstimator.restore(snapshot, { mode: 'fixed' })).toThrow(/mode code/);
  });
});

describe('KL-aware damping (App. B.2)', () => {
  it('uses torch.quantile\'s linear interpolation', () => {
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25);
  });
  it('shrinks the advantage of drifted responses and keeps signs', () => {
    const advantages = Float64Array.from([1, -1, 2, -2]);
    const damped = dampAdvantagesByKl(advantages, [0, 0.1, 1, 10]);
    expect(damped[0]).toBe(1); // no drift, no damping
    expect(Math.abs(damped[3])).toBeLessThan(Math.abs(damped[2]));
    expect(Array.from(damped, Math.sign)).toEqual([1, -1, 1, -1]);
  });
});
