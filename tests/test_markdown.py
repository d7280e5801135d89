from __future__ import annotations

from retrieval.text.markdown import plain_text


def test_underlined_headings_lose_their_underline():
    text = "Storm Floods the Coast\n======================\n\nThe sea rose.\n\nCosts\n-----\nHigh."
    assert plain_text(text).split() == "Storm Floods the Coast The sea rose. Costs High.".split()
    assert "===" not in plain_text(text) and "---" not in plain_text(text)


def test_list_markers_go_and_items_stay():
    text = "Closures:\n\n* The harbour ferry was cancelled.\n- Schools closed.\n2. Roads shut.\n"
    assert plain_text(text) == (
        "Closures:\n\nThe harbour ferry was cancelled.\nSchools closed.\nRoads shut.\n"
    )


def test_arithmetic_and_dashes_inside_lines_stay():
    assert plain_text("It costs 5 - 3 = 2 and 2*3*4 more -- or not.") == (
        "It costs 5 - 3 = 2 and 2*3*4 more -- or not."
    )
