"""Convert Open English WordNet's noun files into the goods the event stage knows as things.

    python -m service.dev.wordnet_goods DIR [--out service/data/events]

DIR holds the unchanged `src/yaml/noun.*.yaml` files of Open English WordNet
(github.com/globalwordnet/english-wordnet, commit d94538a; CC BY 4.0, derived from Princeton
WordNet under the WordNet licence; both in `LICENSE-OEWN.txt` beside the output). Their sha256
are pinned below: a changed file is an error, not a silent new list.

A good is a one-word noun of a synset among artifacts, foods or substances
(`noun.artifact`, `noun.food`, `noun.substance`: "tent", "blanket", "rice", "fuel") and of none
among people, groups, messages, acts or ideas (`noun.person`, `noun.group`,
`noun.communication`, `noun.act`, `noun.cognition`: "letter", "mission", "team" are not goods).
It writes `wordnet_goods.json`, the sorted list. Only data is taken: no WordNet code.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import yaml

PINNED = {
    "noun.artifact.yaml": "29873f01b589096f73d48d73f4e6877ffc6f633e8b025a3806eb1f60a95a6cae",
    "noun.food.yaml": "e374e23600a13cbfe76c6ea583186bfe80995f4e3502c9aaf0f90ab007b891b7",
    "noun.substance.yaml": "5b7e47570a15012e7a43430a56a218a1ac7be81913bb094143a39b40387ed62f",
    "noun.person.yaml": "7d2ce4bebd1cc762a5d4f4d6cf7aee228e5c795ed07263d575fea0b820780c48",
    "noun.group.yaml": "4c5052b8dd31f1924f46899e8789d6fa916637d1451113c39ccded95c9d80a4e",
    "noun.communication.yaml": ("7053932585a7e05d38a2b04139e17800bca7fed8049e1e9f3f8e478a2734c23e"),
    "noun.act.yaml": "c5ea061734ae4687ca1505e32e75f61936ec84c2a05eaa751f451702c8699291",
    "noun.cognition.yaml": "eed8353e69e0a9073d2b3a2918119c94bff04e878d4af15e375cefd0f606d9a6",
}
GOODS = ("noun.artifact.yaml", "noun.food.yaml", "noun.substance.yaml")
NOT_GOODS = (
    "noun.person.yaml",
    "noun.group.yaml",
    "noun.communication.yaml",
    "noun.act.yaml",
    "noun.cognition.yaml",
)
DATA_FILE = "wordnet_goods.json"


def read(folder: Path, name: str) -> str:
    data = (folder / name).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != PINNED[name]:
        raise SystemExit(f"{name}: sha256 {digest}, pinned {PINNED[name]}: not the converted file")
    return data.decode("utf-8")


def members(text: str) -> set[str]:
    """The one-word members of a lexicographer file's synsets, lower case."""
    found: set[str] = set()
    synsets = yaml.safe_load(text) or {}
    for synset in synsets.values():
        for member in synset.get("members", []):
            word = str(member).lower()
            if word and " " not in word:
                found.add(word)
    return found


def goods(files: dict[str, str]) -> list[str]:
    """The goods of the files' texts (name -> text): in a goods file and in no other."""
    things = set().union(*(members(files[n]) for n in GOODS))
    others = set().union(*(members(files[n]) for n in NOT_GOODS))
    return sorted(things - others)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.dev.wordnet_goods")
    parser.add_argument("folder", type=Path, help="Open English WordNet's src/yaml files")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "events"
    )
    args = parser.parse_args(argv)
    found = goods({name: read(args.folder, name) for name in PINNED})
    path = args.out / DATA_FILE
    path.write_text(json.dumps(found, separators=(",", ":")) + "\n")
    print(f"{path}: {len(found)} goods, {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
