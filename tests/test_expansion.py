from __future__ import annotations

from retrieval.ranking.expansion import RELATED_SHARE, Vocabulary, expand, thesaurus
from retrieval.text.analysis import analyse


def test_the_thesaurus_is_shipped_and_keyed_by_the_analysis():
    table = thesaurus()
    assert len(table) > 5000
    (prosecutor,) = analyse("prosecutor")
    assert analyse("prosecute")[0] in table[prosecutor]  # a derived form
    (unexpected,) = analyse("unexpected")
    assert all(" " not in other and other for other in table[unexpected])


def test_relatives_of_a_word_the_article_has_join_at_a_lower_weight():
    (arrest,) = analyse("arrest")
    relative = thesaurus()[arrest][0]
    known = Vocabulary.of({arrest: 1.0, relative: 1.0}, 2, {})
    expansion = expand({arrest: 1.0}, known)
    assert expansion.weights == {arrest: 1.0, relative: RELATED_SHARE}
    assert expansion.bridged == frozenset()  # the article has the word itself
    assert expansion.alternatives == {arrest: (relative,)}


def test_relatives_bridge_a_word_the_article_lacks():
    (earn,) = analyse("earn")
    relative = thesaurus()[earn][0]
    known = Vocabulary.of({relative: 1.0}, 1, {})
    expansion = expand({earn: 1.0}, known)
    assert expansion.weights == {earn: 1.0, relative: 0.5}
    assert expansion.bridged == {earn}
