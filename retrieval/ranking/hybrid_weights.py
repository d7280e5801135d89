"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 2118 WikiQA train questions, 1541 look-alikes and 6745 right/wrong pairs;
# the threshold from the same questions, each scored by a model trained without its document.
# Order: retrieval/ranking/rerank.py FEATURES and TRIGGER_FEATURES.
# ABSTAIN_BELOW: chosen on bank-tune.jsonl by calibrate_threshold.py
# (WikiQA's was 0.0624).
RANK = (
    1.7666,
    -1.8438,
    -0.8824,
    2.4835,
    1.7863,
    -1.0282,
    0.0691,
    -0.4175,
    0.4774,
    1.1595,
    0.2161,
    -1.0532,
    -0.2759,
    4.8464,
    0.8121,
    1.2744,
)
TRIGGER = (
    0.4529,
    0.0270,
    0.0000,
    0.7235,
    0.0000,
    0.0000,
    1.5920,
    0.0000,
    -0.9701,
    1.0571,
)
TRIGGER_BIAS = -6.4120
ABSTAIN_BELOW = 0.0350
