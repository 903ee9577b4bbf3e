// The per-file audit in the few numbers a data owner scans (provenance.parquet, never the shared
// metadata): how many attributes each action touched, how many were private or not known to be safe,
// and the names of the attributes kept as they were.
import type { AuditAction, DeidAudit } from './deidentify';

/** Every action, in the order provenance columns list them. */
export const AUDIT_ACTIONS: readonly AuditAction[] = ['removed', 'emptied', 'dummy', 'remapped', 'shifted', 'cleaned', 'capped', 'kept', 'added'];

export interface DeidAuditSummary {
  /** Attributes (by keyword path, each counted once per action and rule) per action. */
  readonly actions: Readonly<Record<AuditAction, number>>;
  /** Removed because private (odd group). */
  readonly privateRemoved: number;
  /** Removed because neither the profile table nor the keep-list knows them. */
  readonly unknownRemoved: number;
  /** Keyword paths of the attributes kept unchanged, sorted. */
  readonly retained: readonly string[];
}

export function summarizeAudit(audit: DeidAudit): DeidAuditSummary {
  const actions = Object.fromEntries(AUDIT_ACTIONS.map((action) => [action, 0])) as Record<AuditAction, number>;
  for (const entry of [...audit.removed, ...audit.replaced, ...audit.kept, ...audit.added]) actions[entry.action] += 1;
  return {
    actions,
    privateRemoved: audit.removed.filter((entry) => entry.rule === 'private').length,
    unknownRemoved: audit.removed.filter((entry) => entry.rule === 'not-known-safe').length,
    retained: [...new Set(audit.kept.map((entry) => entry.attribute))].sort(),
  };
}
