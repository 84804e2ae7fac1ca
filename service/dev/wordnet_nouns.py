"""Nouns of acts from WordNet: a noun the event lexicon lacks names the act of the lexicon's verb
it derives from ("the expulsion of" is an "expel", "a rebuke" a "rebuke").

    python -m service.dev.wordnet_nouns DIR [--out service/data/events]

DIR holds Princeton WordNet 3.0's database files, unchanged (`data.verb`, `data.noun`,
`index.noun`; their sha256 are pinned below), as Debian's package `wordnet-base` installs them
in /usr/share/wordnet (`apt-get download wordnet-base`, then `dpkg-deb -x wordnet-base_*.deb X`:
DIR is X/usr/share/wordnet). WordNet 3.0 licence: `LICENSE-WORDNET.txt` beside the output.

It writes `wordnet_nouns.json`: noun -> verb of the lexicon (`service/core/data/plover.py`
VERBS). A noun qualifies when the lexicon has no entry for it (NOUNS) and it names no actor
(SECTORS), its most frequent sense (WordNet orders a lemma's senses by their frequency in its
tagged corpus) is an act, an event or a communication (the lexicographer files noun.act,
noun.event, noun.communication: not a person, "protester", nor a thing), WordNet links that very
word of the synset to verbs as a derivationally related form, and the verbs the lexicon has
among them agree on their category. Only data is taken: no WordNet code.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from service.core.data.plover import NOUNS, SECTORS, VERBS

PINNED = {
    "data.verb": "adcf43e35b581e8036d8b5a52d63d9cd3d3b4870b2720d3c03c799df44777bc2",
    "data.noun": "fea17d2f9656611334eac790e5d69e47645fa180c4aa481fb4cd9b3520754ca2",
    "index.noun": "a490d99d93d017bf4822fe2f0ffa51fd73911ce271dc7535fade21f8814b5a04",
}
OUT = "wordnet_nouns.json"
# WordNet's lexicographer files (`lexnames`) of nouns that name acts: noun.act,
# noun.communication, noun.event.
ACT_FILES = frozenset({"04", "10", "11"})


def read(folder: Path, name: str) -> str:
    data = (folder / name).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != PINNED[name]:
        raise SystemExit(f"{name}: sha256 {digest}, pinned {PINNED[name]}: not the converted file")
    return data.decode("latin-1")


def _records(text: str) -> list[list[str]]:
    """The fields of each synset line of a `data.*` file, before its gloss (the licence at the
    head of the file is indented)."""
    return [
        line.split(" | ")[0].split()
        for line in text.splitlines()
        if line.strip() and not line.startswith("  ")
    ]


def _words(fields: list[str]) -> list[str]:
    count = int(fields[3], 16)
    return [fields[4 + 2 * i].lower().replace("_", " ") for i in range(count)]


def verb_words(text: str) -> dict[str, list[str]]:
    """Verb synset offset -> its words, in WordNet's order (`data.verb`)."""
    return {fields[0]: _words(fields) for fields in _records(text)}


def nominals(
    text: str, verbs: dict[str, list[str]]
) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Noun synset offset -> (its lexicographer file, (word, verb) for each of its words that
    WordNet links to a verb as a derivationally related form, `+`)."""
    found: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for fields in _records(text):
        words = _words(fields)
        at = 4 + 2 * len(words)
        links = []
        for _ in range(int(fields[at])):
            symbol, offset, pos, ends = fields[at + 1 : at + 5]
            at += 4
            source, target = int(ends[:2], 16), int(ends[2:], 16)
            if symbol == "+" and pos == "v" and source and target and offset in verbs:
                links.append((words[source - 1], verbs[offset][target - 1]))
        found[fields[0]] = (fields[1], links)
    return found


def first_senses(text: str) -> dict[str, str]:
    """Lemma -> the offset of its most frequent sense (`index.noun`)."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("  "):
            continue
        fields = line.split()
        pointers = int(fields[3])
        found[fields[0].replace("_", " ")] = fields[4 + pointers + 2]
    return found


def deverbal(
    synsets: dict[str, tuple[str, list[tuple[str, str]]]],
    senses: dict[str, str],
    verbs: dict[str, str],
    known: set[str],
) -> dict[str, str]:
    """Noun -> the verb whose act it names (module doc). `verbs`: verb -> category; `known`:
    nouns that keep the lexicon's own reading."""
    found: dict[str, str] = {}
    for lemma, offset in sorted(senses.items()):
        if lemma in known or not lemma.replace(" ", "").replace("-", "").isalpha():
            continue
        lexname, links = synsets[offset]
        if lexname not in ACT_FILES:
            continue
        candidates = [verb for word, verb in links if word == lemma and verb in verbs]
        if candidates and len({verbs[v] for v in candidates}) == 1:
            found[lemma] = candidates[0]
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="WordNet 3.0's database files")
    parser.add_argument("--out", type=Path, default=Path("service/data/events"))
    args = parser.parse_args(argv)
    nouns = deverbal(
        nominals(read(args.folder, "data.noun"), verb_words(read(args.folder, "data.verb"))),
        first_senses(read(args.folder, "index.noun")),
        {verb: entry[0] for verb, entry in VERBS.items()},
        set(NOUNS) | set(SECTORS),
    )
    (args.out / OUT).write_text(json.dumps(nouns, sort_keys=True, indent=0) + "\n", "utf-8")
    print(f"{OUT}: {len(nouns)} nouns", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
