"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 1693 WikiQA train questions, 1257 look-alikes and 3917 right/wrong pairs;
# the threshold from 425 more.
# Order: retrieval/rerank.py FEATURES and TRIGGER_FEATURES.
RANK = (
    2.5601,
    -1.8166,
    -0.0569,
    1.2588,
    2.2097,
    -0.8423,
    0.6379,
    0.4144,
    0.6695,
    1.7118,
    0.6947,
    -0.1385,
    -0.8519,
)
TRIGGER = (
    0.1134,
    0.2163,
    -0.3044,
    1.2140,
    0.0000,
    -0.9598,
    1.4387,
    0.0000,
    -0.5446,
)
TRIGGER_BIAS = -4.1814
ABSTAIN_BELOW = 0.0648
