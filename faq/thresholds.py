"""`Thresholds`: every tunable number of the matcher, in one place, with the defaults that pass
tests/data/eval.yaml. What each part is worth is measured by `python -m benchmarks.ablation`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """Every tunable number of the matcher, in one place. Defaults pass tests/data/eval.yaml."""

    # Deciding: answer, clarify or fall back.
    answer: float = 0.65  # best score needed to answer directly ...
    margin: float = 0.05  # ... with this lead over the runner-up
    solo_answer: float = 0.45  # or a lower score with a large lead:
    solo_margin: float = 0.25  # one clear topic in a long, chatty message
    clarify: float = 0.3  # below this nothing fits: fallback
    candidate_window: float = 0.15  # runner-ups this close to the best are offered too
    max_candidates: int = 3
    # Scoring: score = coverage_share * explained + (1 - coverage_share) * best phrasing overlap.
    coverage_share: float = 0.35
    refusal_coverage_share: float = 0.5  # the same for out-of-scope intents
    containment: float = 0.8  # phrasing overlap: 0.5 is Dice; 1 is how much of the phrasing is asked
    unexplained_norm: float = 2.0  # p of the p-norm that adds up words an intent does not explain
    focus: float = 1.5  # weight multiplier for the last clause of a chatty message
    context_weight: float = 0.3  # for scene-setting words ("my mum", "scared") and numbers
    common_known_zipf: float = 7.0  # known words are damped as their English Zipf frequency nears this
    common_known_span: float = 2.5  # ... over this many Zipf steps
    common_known_floor: float = 0.3
    # Rarity of a word in English, in [0, 1]: 0 at this Zipf frequency and above ("the", "have"),
    # rising to 1 over `rare_span` Zipf steps below it.
    everyday_zipf: float = 6.0
    rare_span: float = 3.0
    # Words never seen in any phrasing are evidence against every intent.
    unknown_weight: float = 0.75  # relative to the rarest known term
    common_unknown_floor: float = 0.35  # least rarity, for very common words ("live", "left")
    unanchored_unknown: float = 3.0  # multiplier when the question never names or points at the subject
    exact_phrase: float = 92.0  # rapidfuzz ratio for questions made only of small words
    shortlist: int = 12  # intents scored in detail, chosen by coverage
    # The asked-about aspect: a word of the asking clause that no topic uses, rare enough in
    # English (rarity in [0, 1]: 0 for everyday words, 1 for rare ones) to be what is asked,
    # makes an answer partial.
    aspect_rarity: float = 0.5
    aspect_known_rarity: float = 0.2  # the same for words only our refusals use ("cost", "flying")
    adverb_base_zipf: float = 3.0  # "roughly" is an adverb: "rough" is this common; "family" is not
    partial_topic: float = 0.45  # a topic this good is "named" when an offers_topic refusal wins
    # A second opinion between close topics (a "did you mean"): the best one is answered when its
    # phrasings are this much more typical of the question (a naive Bayes log-likelihood ratio)
    # than each runner-up's, it scores at least `typical_score` and explains all but
    # `typical_unexplained` of the question's weight.
    typical_lead: float = 1.5
    typical_score: float = 0.55
    typical_unexplained: float = 0.6
    typical_smoothing: float = 0.5  # added to every count of phrasings using a term
    about_oneself: float = 0.45  # "do I have it?" this good wins a yes/no question about someone
