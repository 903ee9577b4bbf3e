// QoQ-Med §3 accuracy reward: the boxed answer is split on the first separator present among these, in this
// order. An answer string containing one would be split apart by the reward, so the catalog forbids them
// (qoq-med.md §1: HAM10000's "Actinic keratoses and intraepithelial carcinoma" becomes "AKIEC").
export const REWARD_SEPARATORS = [', ', ' and ', ' & ', ',', '&'] as const;

/** The first reward separator the answer string contains, or null. */
export function rewardSeparatorIn(answer: string): string | null {
  return REWARD_SEPARATORS.find((separator) => answer.includes(separator)) ?? null;
}

/** design.md "Words": `answer` is `labels` joined by ", ". */
export const ANSWER_JOINER = ', ';
