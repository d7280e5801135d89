"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 2118 WikiQA questions and 4913 right/wrong candidate pairs.
# Order: retrieval/ranking.py FEATURES and TRIGGER_FEATURES.
RANK = (2.2316, -1.0727, 0.2281, 1.2924, 2.5051, -0.5928, 0.8091, 0.2575, 0.6944, 1.3097, 0.9301)
TRIGGER = (0.1031, 0.2986, -1.1992, 0.9034, 0.1252, -1.0205)
TRIGGER_BIAS = -2.3210
ABSTAIN_BELOW = 0.1075
