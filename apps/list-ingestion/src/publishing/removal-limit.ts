/** The default share of a publisher's entries of a list type that a full push may remove unconfirmed. */
export const DEFAULT_MAX_REMOVAL_SHARE = 0.1;
/** The default limit never goes below this: a list of a few entries may still lose one without confirmation. */
export const MIN_DEFAULT_REMOVALS = 1;

/**
 * The safety of a full push as its caller sets it (the fields of `FullPushSafetyDto`): a batch's, or an
 * import's, kept with its job so that a queued job runs with them.
 */
export interface FullPushSafety {
  /** Nothing is written: the push answers what it would do. */
  dryRun?: boolean;
  /** An absolute limit the caller sets (0 and up). */
  maxRemovals?: number;
  /** A share of `listed` the caller sets (0 to 1); ignored when `maxRemovals` is given. */
  maxRemovalShare?: number;
  /** The number of removals the caller expects and confirms. */
  confirmRemovals?: number;
}

export interface RemovalLimitInput extends Omit<FullPushSafety, 'dryRun'> {
  /** Entries the push would remove (absent from it). */
  wouldRemove: number;
  /** The publisher's entries of the list type in the caller's reach before the push (active or watch). */
  listed: number;
}

export type RemovalLimitVerdict =
  | { allowed: true; limit: number; confirmed: boolean }
  | { allowed: false; limit: number; reason: 'over-limit' | 'confirmation-mismatch'; message: string };

/**
 * Whether a full push may remove what it would remove (全量推送移出上限). The limit is `maxRemovals`, or
 * `maxRemovalShare` × `listed` rounded down, or by default 10 % of `listed` rounded down but at least 1.
 * `confirmRemovals` equal to the actual number allows any number (an empty push of a whole list
 * too); a confirmation that differs refuses the push, even under the limit: the caller expected
 * something else. Pure.
 */
export function decideRemovalLimit(input: RemovalLimitInput): RemovalLimitVerdict {
  const { wouldRemove, listed } = input;
  const limit =
    input.maxRemovals !== undefined
      ? input.maxRemovals
      : input.maxRemovalShare !== undefined
        ? Math.floor(input.maxRemovalShare * listed + 1e-9)
        : Math.max(MIN_DEFAULT_REMOVALS, Math.floor(DEFAULT_MAX_REMOVAL_SHARE * listed + 1e-9));
  if (input.confirmRemovals !== undefined) {
    if (input.confirmRemovals === wouldRemove) return { allowed: true, limit, confirmed: true };
    return {
      allowed: false,
      limit,
      reason: 'confirmation-mismatch',
      message: `全量推送将移出 ${wouldRemove} 条，与确认的 ${input.confirmRemovals} 条不符，未做任何更改 (the full push would remove ${wouldRemove} entries, not the ${input.confirmRemovals} confirmed; nothing was changed)`,
    };
  }
  if (wouldRemove <= limit) return { allowed: true, limit, confirmed: false };
  return {
    allowed: false,
    limit,
    reason: 'over-limit',
    message: `全量推送将移出 ${wouldRemove} 条（共 ${listed} 条），超过上限 ${limit} 条；确认无误请以 confirmRemovals=${wouldRemove} 重新推送 (the full push would remove ${wouldRemove} of ${listed} entries, more than the limit of ${limit}; send confirmRemovals=${wouldRemove} to confirm)`,
  };
}
