import { describe, expect, it } from 'vitest';
import { parsePythonDict, parsePythonStringList } from './python-literal';

describe('Python literals of pandas-written CSVs', () => {
  it('reads a PTB-XL scp_codes dict with its likelihoods', () => {
    expect([...parsePythonDict("{'NORM': 100.0, 'SR': 0.0}")]).toEqual([['NORM', 100], ['SR', 0]]);
    expect([...parsePythonDict("{'ISC_': 50.0,'AFIB':0.0 , }")]).toEqual([['ISC_', 50], ['AFIB', 0]]);
    expect(parsePythonDict('{}').size).toBe(0);
  });

  it('reads VinDr-Mammo list strings with spaces, double quotes and escapes', () => {
    expect(parsePythonStringList("['Mass', 'Suspicious Calcification']")).toEqual(['Mass', 'Suspicious Calcification']);
    expect(parsePythonStringList(`["Focal Asymmetry", 'Architectural\\'s Distortion']`)).toEqual(['Focal Asymmetry', "Architectural's Distortion"]);
    expect(parsePythonStringList("['No Finding']")).toEqual(['No Finding']);
  });

  it('refuses what is not a literal instead of evaluating it', () => {
    expect(() => parsePythonDict("{'NORM': __import__('os')}")).toThrow(/expected a value/);
    expect(() => parsePythonStringList("['Mass'")).toThrow();
    expect(() => parsePythonStringList("['Mass'] + ['x']")).toThrow(/unexpected text/);
  });
});
