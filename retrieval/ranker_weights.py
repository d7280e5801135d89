"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 1693 WikiQA train questions, 1253 look-alikes and 3917 right/wrong pairs;
# the threshold from 425 more.
# Order: retrieval/rerank.py FEATURES and TRIGGER_FEATURES.
RANK = (
    2.3945,
    -1.7543,
    0.1414,
    1.6243,
    2.1725,
    -0.8860,
    0.6453,
    0.4501,
    0.6601,
    1.7163,
    0.6921,
    -0.2195,
    -0.2661,
)
TRIGGER = (
    0.1190,
    0.2179,
    -0.7305,
    1.0898,
    0.0000,
    -0.9722,
    1.1423,
    0.0000,
    -0.8782,
)
TRIGGER_BIAS = -3.8829
ABSTAIN_BELOW = 0.0770
