from __future__ import annotations

from retrieval.analysis import analyse
from retrieval.expansion import RELATED_SHARE, Vocabulary, expand, thesaurus


def test_the_thesaurus_is_shipped_and_keyed_by_the_analysis():
    table = thesaurus()
    assert len(table) > 5000
    (prosecutor,) = analyse("prosecutor")
    assert analyse("prosecute")[0] in table[prosecutor]  # a derived form
    (unexpected,) = analyse("unexpected")
    assert all(" " not in other and other for other in table[unexpected])


def test_relatives_of_a_word_the_article_has_join_at_a_lower_weight():
    (detain,) = analyse("detain")
    (confine,) = analyse("confine")
    known = Vocabulary.of({detain: 1.0, confine: 1.0}, 2, {})
    expansion = expand({detain: 1.0}, known)
    assert expansion.weights == {detain: 1.0, confine: RELATED_SHARE}
    assert expansion.bridged == frozenset()  # the article has the word itself
    assert expansion.alternatives == {detain: (confine,)}
