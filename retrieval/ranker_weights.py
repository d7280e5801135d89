"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 2118 WikiQA questions and 4740 right/wrong candidate pairs.
# Order: retrieval/ranking.py FEATURES and TRIGGER_FEATURES.
RANK = (2.4674, -1.3027, 0.2546, 1.2957, 2.5616, -0.5845, 0.8186, 0.1378, 0.7498, 1.3377, 0.8879)
TRIGGER = (0.0725, 0.3125, -1.3762, 0.8196, 0.1197, -1.2263)
TRIGGER_BIAS = -2.0835
ABSTAIN_BELOW = 0.1074
