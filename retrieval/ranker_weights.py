"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 1693 WikiQA train questions, 1257 look-alikes and 3942 right/wrong pairs;
# the threshold from 425 more.
# Order: retrieval/rerank.py FEATURES and TRIGGER_FEATURES.
RANK = (
    2.1858,
    -1.5648,
    -0.1534,
    2.0448,
    2.1685,
    -0.8579,
    0.5863,
    0.6357,
    0.6474,
    1.7160,
    0.6802,
    -0.3647,
    -0.2280,
)
TRIGGER = (
    0.1153,
    0.2207,
    -0.6115,
    1.1446,
    -0.0333,
    -0.9169,
    1.1276,
    0.0000,
    -1.0216,
)
TRIGGER_BIAS = -3.8980
ABSTAIN_BELOW = 0.0577
