"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 2118 WikiQA questions and 4740 right/wrong candidate pairs.
# Order: retrieval/ranking.py FEATURES and TRIGGER_FEATURES.
RANK = (2.4970, -1.3339, 0.2577, 1.3012, 2.5543, -0.5681, 0.8156, 0.1167, 0.7529, 1.3327, 0.8867)
TRIGGER = (0.0813, 0.2928, -1.3655, 0.8135, 0.1136, -1.2165)
TRIGGER_BIAS = -2.0976
ABSTAIN_BELOW = 0.1106
