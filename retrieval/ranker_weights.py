"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 1693 WikiQA train questions, 1253 look-alikes and 3897 right/wrong pairs;
# the threshold from 425 more.
# Order: retrieval/rerank.py FEATURES and TRIGGER_FEATURES.
RANK = (
    2.3832,
    -1.7578,
    0.0970,
    1.7728,
    2.1503,
    -0.9005,
    0.6869,
    0.5786,
    0.6434,
    1.7373,
    0.6770,
    -0.3525,
    -0.2372,
)
TRIGGER = (
    0.1235,
    0.2192,
    -0.6861,
    0.9973,
    -0.0160,
    -0.9710,
    1.2445,
    0.0000,
    -0.9391,
)
TRIGGER_BIAS = -3.9445
ABSTAIN_BELOW = 0.0557
