"""Training of the German and Spanish entity models (`make train-ner LANG=de`, `LANG=es`).

    python -m service.evaluation.train_ner de --data DIR [--out service/data/ner/de]

DIR holds the public repositories the corpora come from, one folder each under its repository's
name (`DIR/NER-datasets/GermEval2014/NER-de-test.tsv`, `DIR/wikineural/data/wikiann/de/...`);
each file's sha256 is checked against the one pinned in SOURCES before anything is read.
The sentences become spaCy DocBin files (gold tokens), then `spacy train` runs
service/evaluation/ner.cfg (blank tokenizer, small tok2vec, NER; seed 0) and the best model on
the development split is written to `--out` with a DATA.md naming its sources and licences.

Only data whose terms allow shipping the weights is trained on (README, "Entity models"):
GermEval 2014 (CC BY 4.0) and WikiANN (Pan et al. 2017, annotations of Wikipedia text).
CoNLL-2002 is research-use only: `dateline eval ner` scores on it, nothing trains on it.
Held out, never read here: CoNLL-2002 esp.testb and GermEval 2014 dev.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from service.evaluation.corpora import Sentence, read, sha256, spans

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

CONFIG = Path(__file__).with_name("ner.cfg")
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "ner"


@dataclass(frozen=True)
class Source:
    path: str  # under --data: the repository's name, then its path in the repository
    fmt: str
    sha256: str
    repository: str
    licence: str
    # Sentences i with i % dev_every == 0 are the development split (0: none), never trained on.
    dev_every: int = 0
    repeat: int = 1  # times the training sentences are given (news-like data weighs more)
    dev_limit: int | None = None  # dev-only sources: the first N sentences


_GERMEVAL = "GermEval 2014 NER (Benikova et al. 2014), CC BY 4.0"
_WIKIANN = (
    "WikiANN (Pan et al. 2017, 'Cross-lingual Name Tagging and Linking for 282 Languages'), "
    "silver annotations of Wikipedia text (CC BY-SA); as redistributed by Babelscape/wikineural"
)

# Training steps per language (they override ner.cfg's max_steps): on 2 shared cores German ran
# to 2500 (GermEval development F1 still rising: 0.540 at 2000, 0.544 at 2500), Spanish to 2000.
STEPS = {"de": 2500, "es": 2000}
# Share of training sentences given in capitals instead (`dateline.upper_case.v1`): wire copy
# sets headlines, sports results and datelines in capitals ("FC BARCELONA", "BM. GRANOLLERS"),
# which Wikipedia text almost never does. 0 trains on the sentences as written.
UPPER_CASE = {"de": 0.0, "es": 0.1}

TRAIN: dict[str, list[Source]] = {
    "de": [
        Source(
            "NER-datasets/GermEval2014/NER-de-test.tsv",
            "germeval",
            "9405e49532379f3aee048851d116b35823d31c04e9521b87a9c4e6572c269097",
            "davidsbatista/NER-datasets",
            _GERMEVAL,
            dev_every=10,
            repeat=2,
        ),
        Source(
            "wikineural/data/wikiann/de/train.conllu",
            "wikiann",
            "5d255b69593f3a1de645e72b7e9fdb8566138cbf72a65cf989f2d3d6369e2fc0",
            "Babelscape/wikineural",
            _WIKIANN,
        ),
    ],
    "es": [
        Source(
            "wikineural/data/wikiann/es/train.conllu",
            "wikiann",
            "4893dcafc4f9d872ff524e3563297c13a814400d065018fb6a6487ef85a0f835",
            "Babelscape/wikineural",
            _WIKIANN,
        ),
        Source(
            "wikineural/data/wikiann/es/test.conllu",
            "wikiann",
            "60335a0154d57a8c691c5d5abd1edfc10365c8a769241aa6fa2fa977df23d003",
            "Babelscape/wikineural",
            _WIKIANN,
        ),
        Source(
            "wikineural/data/wikiann/es/val.conllu",
            "wikiann",
            "0f19f901bd47635900e3bf244eca95afb80585755e1b9f9f7f1961ddb310e548",
            "Babelscape/wikineural",
            _WIKIANN,
            dev_every=1,
            dev_limit=2000,
        ),
    ],
}


def upper_case_augmenter(level: float) -> Callable[[Language, Example], Iterator[Example]]:
    """A spaCy augmenter: each training sentence, with probability `level`, in capitals (its
    tokens and entity spans as they were)."""

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        if level <= 0 or random.random() >= level:
            yield example
            return
        from spacy.tokens import Doc

        reference = example.reference
        words = [t.text.upper() for t in reference]
        spaces = [bool(t.whitespace_) for t in reference]
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
        data = example.to_dict()
        data["token_annotation"]["ORTH"] = words
        yield example.from_dict(doc, data)

    return augment


def _register_augmenter() -> None:
    from spacy.util import registry

    if "dateline.upper_case.v1" not in registry.augmenters:
        registry.augmenters.register("dateline.upper_case.v1", func=upper_case_augmenter)


def check(data: Path, sources: list[Source]) -> None:
    """Every source file is there with its pinned sha256, or SystemExit saying which is not."""
    for source in sources:
        path = data / source.path
        if not path.is_file():
            raise SystemExit(
                f"train-ner: missing {path} (from github.com/{source.repository}: "
                f"put the repository under {data}/{source.path.split('/')[0]})"
            )
        digest = sha256(path)
        if digest != source.sha256:
            raise SystemExit(
                f"train-ner: {path} has sha256 {digest}, expected {source.sha256}: "
                "not the file the model was trained on"
            )


def split(data: Path, sources: list[Source]) -> tuple[list[Sentence], list[Sentence]]:
    train: list[Sentence] = []
    dev: list[Sentence] = []
    for source in sources:
        sentences = read(data / source.path, source.fmt)
        if source.dev_every == 1:
            dev += sentences[: source.dev_limit]
            train += sentences[source.dev_limit :] if source.dev_limit else []
            continue
        for i, sentence in enumerate(sentences):
            if source.dev_every and i % source.dev_every == 0:
                dev.append(sentence)
            else:
                train += [sentence] * source.repeat
        print(f"  {len(sentences):>6} sentences  {source.path}", file=sys.stderr)
    return train, dev


def docbin(language: str, sentences: list[Sentence], path: Path) -> None:
    import spacy
    from spacy.tokens import Doc, DocBin, Span

    vocab = spacy.blank(language).vocab
    out = DocBin(store_user_data=False)
    for tokens, tags in sentences:
        doc = Doc(vocab, words=tokens)
        doc.ents = [Span(doc, s, e, label=kind) for s, e, kind in spans(tags)]
        out.add(doc)
    out.to_disk(path)


def main(argv: list[str]) -> int:
    """Train one language's entity model from the pinned corpora."""
    parser = argparse.ArgumentParser(prog="train_ner", description=main.__doc__)
    parser.add_argument("language", choices=sorted(TRAIN))
    parser.add_argument("--data", type=Path, required=True, help="folder of fetched repositories")
    parser.add_argument("--out", type=Path, default=None, help="default: service/data/ner/LANG")
    parser.add_argument("--work", type=Path, default=None, help="keep DocBins and checkpoints")
    parser.add_argument(
        "--set", action="append", default=[], help="a config override, e.g. training.max_steps=10"
    )
    args = parser.parse_args(argv)
    sources = TRAIN[args.language]
    out = args.out or DEFAULT_OUT / args.language
    check(args.data, sources)
    train, dev = split(args.data, sources)
    print(f"{len(train)} training, {len(dev)} development sentences", file=sys.stderr)

    from spacy.cli.train import train as spacy_train

    work = args.work or Path(tempfile.mkdtemp(prefix=f"ner-{args.language}-"))
    work.mkdir(parents=True, exist_ok=True)
    docbin(args.language, train, work / "train.spacy")
    docbin(args.language, dev, work / "dev.spacy")
    overrides: dict[str, object] = {
        "nlp.lang": args.language,
        "paths.train": str(work / "train.spacy"),
        "paths.dev": str(work / "dev.spacy"),
        "training.max_steps": STEPS[args.language],
        "corpora.train.augmenter.level": UPPER_CASE[args.language],
    }
    for item in args.set:
        key, _, value = item.partition("=")
        try:
            overrides[key] = json.loads(value)
        except ValueError:
            overrides[key] = value
    _register_augmenter()
    started = time.monotonic()
    spacy_train(CONFIG, work / "model", overrides=overrides)
    print(f"trained in {(time.monotonic() - started) / 60:.1f} min", file=sys.stderr)
    finish(work / "model" / "model-best", out, args.language, len(train), len(dev))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def finish(best: Path, out: Path, language: str, n_train: int, n_dev: int) -> None:
    """Copy the best model to `out`, named, with its sources in meta.json and DATA.md."""
    sources = TRAIN[language]
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(best, out)
    meta = json.loads((out / "meta.json").read_text())
    meta.update(
        name=f"dateline_ner_{language}",
        description="Dateline's entity model (tok2vec + ner), service/evaluation/train_ner.py",
        sources=[{"name": s.licence, "url": f"https://github.com/{s.repository}"} for s in sources],
    )
    (out / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    (out / "DATA.md").write_text(_data_note(language, sources, n_train, n_dev))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"wrote {out} ({size / 1e6:.1f} MB)", file=sys.stderr)


def _data_note(language: str, sources: list[Source], n_train: int, n_dev: int) -> str:
    lines = [
        f"# Entity model `{language}`: its data",
        "",
        "Trained by `make train-ner LANG=" + language + "` (service/evaluation/train_ner.py,",
        "service/evaluation/ner.cfg) on these files, checked against their sha256:",
        "",
    ]
    for s in sources:
        role = "development split" if s.dev_every == 1 else "training"
        if s.dev_every > 1:
            role = (
                f"training; every {s.dev_every}th sentence (from the first) the development split"
            )
        lines += [
            f"- github.com/{s.repository}, `{s.path.split('/', 1)[1]}` ({role})",
            f"  sha256 `{s.sha256}`",
            f"  {s.licence}",
        ]
    if UPPER_CASE[language]:
        lines += [
            "",
            f"About {UPPER_CASE[language]:.0%} of the training sentences are given in capitals "
            "(`dateline.upper_case.v1`, `UPPER_CASE` in train_ner.py).",
        ]
    lines += ["", f"{n_train} training sentences, {n_dev} development sentences.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
