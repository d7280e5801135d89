"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 2118 WikiQA questions and 4740 right/wrong candidate pairs.
# Order: retrieval/ranking.py FEATURES and TRIGGER_FEATURES.
RANK = (2.5127, -1.3263, 0.2057, 1.3104, 2.5581, -0.5713, 0.8167, 0.1384, 0.7568, 1.3282, 0.8876)
TRIGGER = (0.0824, 0.2980, -1.3670, 0.8223, 0.1208, -1.2153)
TRIGGER_BIAS = -2.1239
ABSTAIN_BELOW = 0.1097
