"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 2118 WikiQA questions and 4913 right/wrong candidate pairs.
# Order: retrieval/ranking.py FEATURES and TRIGGER_FEATURES.
RANK = (
    2.2381,
    -1.0830,
    0.0457,
    0.2402,
    1.2359,
    2.5314,
    -0.5647,
    0.8098,
    0.2626,
    0.6942,
    1.3106,
    0.9300,
)
TRIGGER = (0.0997, 0.2965, -1.2148, 0.9091, 0.1161, -1.0055)
TRIGGER_BIAS = -2.2949
ABSTAIN_BELOW = 0.1079
