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

With all of `src/yaml`'s noun files and `entries-*.yaml` (their sense order; each group pinned by
the sha256 of its files read in name order), it also writes `wordnet_kinds.json`, nouns by the
kind their first sense is a hyponym of (OEWN orders a word's senses by frequency, as WordNet):

- `weapon_heads`: the head nouns of CAMEO's &WEAPON members of several words (read from the
  packaged `cameo_verbs.json`) that are weapons alone: "tank" of "battle tank" (its first sense is
  the military vehicle), "destroyer" of "arleigh burke-class destroyer"; not "carrier" of
  "aircraft carrier" (first a person who carries things), "arrow" of "bow and arrow" (first a
  mark), "drone" of "predator drone" (first a bee);
- `commodities`: raw goods traded as commodities: fossil fuels, minerals, metals, alloys
  ("crude oil", "coal", "iron ore", "copper");
- `commerce`: words of trade and traders: selling, trade, deals, purchases, exports and imports,
  contracts, exporters, importers, merchants, buyers, businesses ("sale", "exporter", "firm"); not
  WordNet's wider "commerce" and "transaction", which hold farming, railways, extradition and
  lend-lease.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

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
KINDS_FILE = "wordnet_kinds.json"
# sha256 of the files of each group read in name order (OEWN commit d94538a, 26 and 27 files)
PINNED_GROUPS = {
    "noun.*.yaml": "83a19846014737198f5fcfcbd00871b0871b58441ebb5abc6ca916dbd6de0baa",
    "entries-*.yaml": "dcd3fe0ee4bea16ee4ed21f6450dd6ca9a9161f875fa3270495c564bae094e75",
}
# The kinds' synsets (OEWN ids), each with its first member
KINDS = {
    "weapon_heads": {
        "04572661-n": "weapon",
        "04573543-n": "weaponry",
        "02741036-n": "armament",
        "02706134-n": "ammunition",
        "03805132-n": "munition",
        "03769811-n": "military vehicle",
        "04559982-n": "warship",
        "04559634-n": "warplane",
    },
    "commodities": {
        "14710513-n": "fossil fuel",
        "14686753-n": "mineral",
        "14649636-n": "metallic element",
        "14610949-n": "alloy",
        "13392662-n": "precious metal",
    },
    "commerce": {
        "01115160-n": "selling",
        "01093829-n": "trade",
        "01112179-n": "deal",
        "00079838-n": "purchase",
        "03311152-n": "export",
        "03569847-n": "import",
        "06532935-n": "contract",
        "10093422-n": "exporter",
        "10220985-n": "importer",
        "10329563-n": "merchant",
        "09904597-n": "buyer",
        "08077878-n": "business",
        "08076706-n": "firm",
        "08074934-n": "company",
    },
}


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


def read_group(folder: Path, pattern: str) -> list[str]:
    """The texts of a pinned group of files, in name order."""
    paths = sorted(folder.glob(pattern))
    data = [path.read_bytes() for path in paths]
    digest = hashlib.sha256(b"".join(data)).hexdigest()
    if digest != PINNED_GROUPS[pattern]:
        raise SystemExit(f"{pattern}: sha256 {digest}, pinned {PINNED_GROUPS[pattern]}")
    return [d.decode("utf-8") for d in data]


def _load(text: str) -> Any:
    """yaml.safe_load, with libyaml's safe loader where it is built (the files are 100 MB)."""
    if hasattr(yaml, "CSafeLoader"):
        return yaml.load(text, Loader=yaml.CSafeLoader)
    return yaml.safe_load(text)


def hypernyms(nouns: list[str]) -> dict[str, list[str]]:
    """Each noun synset's hypernyms (instance hypernyms too), from the noun files' texts."""
    found: dict[str, list[str]] = {}
    for text in nouns:
        for key, synset in (_load(text) or {}).items():
            found[key] = [*synset.get("hypernym", []), *synset.get("instance_hypernym", [])]
    return found


def first_senses(entries: list[str]) -> dict[str, str]:
    """Each lower-case noun's first sense (its synset), from the entries files' texts."""
    found: dict[str, str] = {}
    for text in entries:
        for word, parts in (_load(text) or {}).items():
            senses = (parts.get("n") or {}).get("sense") or []
            if senses and str(word) == str(word).lower():
                found[str(word)] = senses[0]["synset"]
    return found


def kinds(
    up: dict[str, list[str]], first: dict[str, str], weapons: list[str]
) -> dict[str, list[str]]:
    """The nouns whose first sense is (a hyponym of) a synset of each kind; for weapons, only
    the heads (last words) of `weapons`, the &WEAPON members of several words."""
    cache: dict[str, frozenset[str]] = {}

    def above(synset: str) -> frozenset[str]:
        known = cache.get(synset)
        if known is None:
            cache[synset] = frozenset()  # a cycle ends here
            known = frozenset({synset}).union(*(above(h) for h in up.get(synset, [])))
            cache[synset] = known
        return known

    heads = {m.rstrip("_").split()[-1] for m in weapons if " " in m}
    found: dict[str, list[str]] = {}
    for kind, roots in KINDS.items():
        words = heads if kind == "weapon_heads" else first
        found[kind] = sorted(
            w for w in words if w in first and not above(first[w]).isdisjoint(roots)
        )
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.dev.wordnet_goods")
    parser.add_argument("folder", type=Path, help="Open English WordNet's src/yaml files")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "events"
    )
    parser.add_argument(
        "--kinds", action="store_true", help="also wordnet_kinds.json (needs entries-*.yaml)"
    )
    args = parser.parse_args(argv)
    found = goods({name: read(args.folder, name) for name in PINNED})
    path = args.out / DATA_FILE
    path.write_text(json.dumps(found, separators=(",", ":")) + "\n")
    print(f"{path}: {len(found)} goods, {path.stat().st_size // 1024} KiB")
    if args.kinds:
        cameo = json.loads((args.out / "cameo_verbs.json").read_text("utf-8"))
        found_kinds = kinds(
            hypernyms(read_group(args.folder, "noun.*.yaml")),
            first_senses(read_group(args.folder, "entries-*.yaml")),
            cameo["synsets"]["&WEAPON"],
        )
        path = args.out / KINDS_FILE
        path.write_text(json.dumps(found_kinds, separators=(",", ":"), sort_keys=True) + "\n")
        sizes = ", ".join(f"{len(v)} {k}" for k, v in found_kinds.items())
        print(f"{path}: {sizes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
