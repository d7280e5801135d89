"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 2118 WikiQA questions and 4763 right/wrong candidate pairs.
# Order: retrieval/rerank.py FEATURES and TRIGGER_FEATURES.
RANK = (2.3965, -1.2713, 0.2816, 1.2821, 2.5385, -0.6125, 0.8199, 0.1524, 0.7394, 1.3220, 0.8757)
TRIGGER = (0.0960, 0.2824, -1.0387, 0.9678, 0.1021, -1.1693)
TRIGGER_BIAS = -2.2758
ABSTAIN_BELOW = 0.1162
