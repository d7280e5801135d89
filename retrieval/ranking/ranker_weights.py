"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by hand."""

# From 2118 WikiQA train questions, 1541 look-alikes and 4906 right/wrong pairs;
# the threshold from the same questions, each scored by a model trained without its document.
# Order: retrieval/ranking/rerank.py FEATURES and TRIGGER_FEATURES.
RANK = (
    2.4459,
    -1.7444,
    0.5364,
    1.4825,
    2.2553,
    -0.9495,
    0.7108,
    0.5715,
    0.5344,
    1.7190,
    0.7213,
    -0.5055,
    -0.1233,
)
TRIGGER = (
    0.1202,
    0.2343,
    -0.8608,
    1.1413,
    -0.0926,
    -0.8761,
    1.0606,
    0.0000,
    -1.4292,
)
TRIGGER_BIAS = -3.8434
ABSTAIN_BELOW = 0.0631
