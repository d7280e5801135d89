"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 1693 WikiQA train questions, 1253 look-alikes and 3917 right/wrong pairs;
# the threshold from 425 more.
# Order: retrieval/rerank.py FEATURES and TRIGGER_FEATURES.
RANK = (
    2.3889,
    -1.7558,
    0.1601,
    1.6265,
    2.1684,
    -0.8791,
    0.6543,
    0.4477,
    0.6565,
    1.7082,
    0.6902,
    -0.2252,
    -0.2514,
)
TRIGGER = (
    0.1155,
    0.2277,
    -0.7639,
    1.0689,
    0.0000,
    -0.9333,
    1.1534,
    0.0000,
    -0.8763,
)
TRIGGER_BIAS = -3.8664
ABSTAIN_BELOW = 0.0792
