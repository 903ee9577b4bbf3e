import { afterEach, describe, expect, it } from 'vitest';
import { ORACLES, requireOracle } from './oracle';

describe('requireOracle', () => {
  const saved = process.env['CI'];
  afterEach(() => {
    if (saved === undefined) delete process.env['CI'];
    else process.env['CI'] = saved;
  });

  it('fails under CI=true when an oracle is missing, instead of skipping', () => {
    const fake = ORACLES as unknown as Record<string, { name: string; probe: string[] }>;
    fake['missing'] = { name: 'a tool that does not exist', probe: ['/nonexistent/qoq-oracle'] };
    process.env['CI'] = 'true';
    expect(() => requireOracle('missing' as never)).toThrow(/not installed/);
    delete process.env['CI'];
    expect(requireOracle('missing' as never)).toBe(false);
    delete fake['missing'];
  });
});
