"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 2118 WikiQA train questions, 1541 look-alikes and 6745 right/wrong pairs;
# the threshold from the same questions, each scored by a model trained without its document.
# Order: retrieval/ranking/rerank.py FEATURES and TRIGGER_FEATURES.
# ABSTAIN_BELOW: chosen on bank-tune.jsonl by calibrate_threshold.py
# (WikiQA's was 0.0686).
RANK = (
    2.3675,
    -1.6046,
    0.3934,
    1.1779,
    1.9195,
    -0.9146,
    0.5111,
    0.3334,
    0.5290,
    1.6907,
    0.5292,
    -0.4356,
    -0.1593,
    2.6335,
    0.7378,
    1.1633,
)
TRIGGER = (
    0.4099,
    0.0000,
    -0.1706,
    0.8692,
    -0.3815,
    0.0000,
    1.3807,
    0.0000,
    -0.9108,
    1.2632,
)
TRIGGER_BIAS = -6.2632
ABSTAIN_BELOW = 0.0250
