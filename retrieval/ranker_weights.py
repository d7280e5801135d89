"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 1693 WikiQA train questions, 1257 look-alikes and 3943 right/wrong pairs;
# the threshold from 425 more.
# Order: retrieval/rerank.py FEATURES and TRIGGER_FEATURES.
RANK = (
    2.1830,
    -1.5745,
    -0.0547,
    1.9532,
    2.1749,
    -0.8612,
    0.5881,
    0.6248,
    0.6456,
    1.7124,
    0.6812,
    -0.3517,
    -0.2412,
)
TRIGGER = (
    0.1147,
    0.2130,
    -0.5987,
    1.1691,
    -0.0387,
    -0.9173,
    1.0649,
    0.0000,
    -1.0775,
)
TRIGGER_BIAS = -3.8352
ABSTAIN_BELOW = 0.0583
