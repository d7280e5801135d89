#!/usr/bin/env python3
"""Build the project's table of irregular word forms from lemminflect: "led" -> "lead".

usage: python benchmarks/build_irregular.py [--write retrieval/text/irregular.txt]

A stemmer cuts suffixes, so it leaves forms that change inside the word apart from their
lemma: "led" / "lead", "wrote" / "written" / "write", "built" / "build", "children" /
"child". A question asks "Who wrote it?" of a sentence that says "written by". The table maps
such a form to its lemma before stemming. Kept: a form (letters only) whose every reading
in lemminflect's lookup table (any part of speech) has the same one lemma, and whose stem
differs from the lemma's. Forms with two readings stay as they are: "left" (leave, or the
side), "ground" (grind, or the soil), "born" (bear, or the adjective), "found" (find, or
found a company).

Needs lemminflect (training time only: `pip install -e '.[train]'`); writes lines
"form lemma", sorted, and lemminflect's licence beside them.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
from importlib import metadata, resources
from pathlib import Path

from retrieval.text.analysis import stem


def irregular_forms() -> dict[str, str]:
    from lemminflect import getAllLemmas

    table_path = resources.files("lemminflect") / "resources" / "lemma_lu.csv.gz"
    with gzip.open(str(table_path), "rt", encoding="utf-8") as handle:
        forms = sorted({row[0].lower() for row in csv.reader(handle) if row and row[0].isalpha()})
    table = {}
    for form in forms:
        lemmas = {lemma.lower() for found in getAllLemmas(form).values() for lemma in found}
        if len(lemmas) != 1:
            continue
        (lemma,) = lemmas
        if lemma.isalpha() and lemma != form and stem(lemma) != stem(form):
            table[form] = lemma
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, help="write the table here")
    args = parser.parse_args(argv)
    try:
        table = irregular_forms()
    except ImportError:
        print("build_irregular: needs lemminflect (pip install lemminflect)", file=sys.stderr)
        return 2
    print(f"{len(table)} irregular forms")
    if args.write:
        lines = "".join(f"{form} {lemma}\n" for form, lemma in table.items())
        args.write.write_text(lines, encoding="utf-8")
        licence = metadata.distribution("lemminflect").read_text("LICENSE")
        if licence:
            (args.write.parent / "LEMMINFLECT-LICENSE.txt").write_text(licence, encoding="utf-8")
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
