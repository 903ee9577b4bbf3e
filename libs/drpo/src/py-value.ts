// The Python values that json.loads and ast.literal_eval return, kept apart as the reward code tells
// them apart (isinstance(x, list) is false for a tuple, bool counts as int, int() of a float truncates).

export type PyValue =
  | { readonly kind: 'none' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int'; readonly value: number; readonly digits: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly PyValue[] }
  | { readonly kind: 'tuple'; readonly items: readonly PyValue[] }
  | { readonly kind: 'dict'; readonly entries: ReadonlyMap<string, PyValue>; readonly size: number }
  /** A value the reward code never looks inside: a set, bytes, a complex number. */
  | { readonly kind: 'other'; readonly size: number };

export const PY_NONE: PyValue = { kind: 'none' };

/** `isinstance(value, (int, float))`: true for bool as well. */
export function isPyNumber(value: PyValue): boolean {
  return value.kind === 'int' || value.kind === 'float' || value.kind === 'bool';
}

/** The float a Python number compares as (True is 1). */
export function pyNumberValue(value: PyValue): number {
  if (value.kind === 'bool') return value.value ? 1 : 0;
  if (value.kind === 'int' || value.kind === 'float') return value.value;
  return Number.NaN;
}

/** `len(value)`, or undefined where Python raises TypeError (numbers, None, bool). */
export function pyLen(value: PyValue): number | undefined {
  switch (value.kind) {
    case 'str':
      return [...value.value].length;
    case 'list':
    case 'tuple':
      return value.items.length;
    case 'dict':
    case 'other':
      return value.size;
    default:
      return undefined;
  }
}

/** Dictionary lookup by a string key (JSON keys are always strings). */
export function pyGet(value: PyValue, key: string): PyValue | undefined {
  return value.kind === 'dict' ? value.entries.get(key) : undefined;
}
