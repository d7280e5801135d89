"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 1693 WikiQA train questions, 1263 look-alikes and 3917 right/wrong pairs;
# the threshold from 425 more.
# Order: retrieval/rerank.py FEATURES and TRIGGER_FEATURES.
RANK = (
    2.5595,
    -1.8156,
    -0.0577,
    1.2597,
    2.2098,
    -0.8420,
    0.6380,
    0.4157,
    0.6696,
    1.7119,
    0.6947,
    -0.1409,
    -0.8517,
)
TRIGGER = (
    0.0997,
    0.2254,
    -0.5159,
    1.4453,
    0.0000,
    -0.9411,
    0.9519,
    0.0000,
    0.0000,
)
TRIGGER_BIAS = -3.8575
ABSTAIN_BELOW = 0.0741
