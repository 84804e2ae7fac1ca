"""`dateline bench stories`: the stories stage's cost per article with N live stories in state,
against the spaCy model's time on the same articles, and the state's memory per 100,000 stories.

Articles: the ECB+ dev documents cached by `dateline eval stories --split dev` (else the seeds).
Live stories: N stories whose keys are drawn (Zipf-like) from vocabularies the size a day of a
large news stream would give, each as big as the stage lets a story grow (its key caps), so the
index and the candidate lists are not kinder than real ones. Figures vary with machine load:
say how loaded the machine was when you quote them.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import orjson

from service.core.stories import KINDS, Params, Stories, Story, signature
from service.schemas import EnrichedArticle

CACHE = Path("/work/data/stories/cache/ecbplus-dev.jsonl")
VOCAB = {
    "words": 200_000,
    "entities": 100_000,
    "places": 20_000,
    "dates": 3_000,
    "numbers": 20_000,
    "events": 5_000,
    "grams": 60_000,  # character 4-grams of content words in four Latin-script languages
}
# Live stories' languages: an English article meets stories of other languages too, where the
# character grams count (the dearer path).
LANGUAGES = ("en", "fr", "de", "es")


def _articles(limit: int) -> list[EnrichedArticle]:
    if CACHE.exists():
        lines = CACHE.read_bytes().splitlines()[:limit]
        return [
            EnrichedArticle.model_validate_json(orjson.dumps(orjson.loads(line)["event"]))
            for line in lines
        ]
    from service.cli import iter_pages
    from service.core.pipeline import Models, process_batch
    from service.core.results import Accepted

    models = Models.load()
    values = [v for _, v in iter_pages(["seeds"])][:limit]
    return [o.event for o in process_batch(values, models=models) if isinstance(o, Accepted)]


def _rss() -> int:
    """Resident bytes of this process (Linux)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096


def fill(
    stories: Stories,
    count: int,
    params: Params,
    seed: int = 1,
    shapes: Sequence[dict[str, int]] = (),
) -> None:
    """`count` stories; each has as many keys per kind as one of `shapes` (real articles'
    signatures), or as many as the caps allow when no shapes are given (the worst case)."""
    rng = random.Random(seed)
    # Key names drawn Zipf-like (a few keys common, most rare): exponents precomputed.
    names = {kind: [f"{kind[0]}{i}" for i in range(size)] for kind, size in VOCAB.items()}
    for n in range(count):
        shape = shapes[n % len(shapes)] if shapes else None
        story = Story(
            id=f"story:bench{n:08d}",
            title=f"story {n}",
            first_article=f"a{n}",
            first_seen=float(n),
            last_seen=float(n),
            size=rng.randint(1, 20),
        )
        for kind in KINDS:
            pool, size = names[kind], VOCAB[kind]
            want = shape[kind] if shape else params.story_keys[kind]
            keys = {pool[int(size ** rng.random()) - 1] for _ in range(want)}
            story.vectors[kind] = {k: rng.random() for k in keys}
        story.languages = {LANGUAGES[n % len(LANGUAGES)]: story.size}
        story.recent = [f"bench-a{n}-{i}" for i in range(min(story.size, 64))]
        stories.load(story)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dateline bench stories", description=__doc__)
    parser.add_argument("--stories", type=int, default=100_000, help="live stories in state")
    parser.add_argument("--articles", type=int, default=100, help="articles timed")
    parser.add_argument(
        "--full",
        action="store_true",
        help="every live story as big as the caps allow (default: each the size of one real "
        "article's evidence, as the singletons most live stories are)",
    )
    args = parser.parse_args(argv)
    from service.core.parsing import parse_texts
    from service.core.pipeline import Models

    articles = _articles(args.articles)
    print(f"{len(articles)} articles; loading the model", file=sys.stderr)
    models = Models.load()
    parse_texts(models.nlp, ["Warm-up text for the model."])
    started = time.perf_counter()
    for a in articles:
        parse_texts(models.nlp, [a.title, a.body])
    model_s = (time.perf_counter() - started) / len(articles)

    params = Params(ttl_s=1e18)
    gc.collect()
    before = _rss()
    stories = Stories(params)
    started = time.perf_counter()
    shapes = (
        []
        if args.full
        else [{k: len(v) for k, v in signature(a).vectors.items()} for a in articles]
    )
    fill(stories, args.stories, params, shapes=shapes)
    fill_s = time.perf_counter() - started
    gc.collect()
    memory = _rss() - before

    sigs = [signature(a) for a in articles]
    started = time.perf_counter()
    for a in articles:
        signature(a)
    sig_s = (time.perf_counter() - started) / len(articles)
    clock = float(args.stories)
    started = time.perf_counter()
    for sig in sigs:
        stories.assign(sig, clock)
    assign_s = (time.perf_counter() - started) / len(sigs)
    stage_s = sig_s + assign_s
    kind = "each at the key caps" if args.full else "each the size of a real article's evidence"
    print(f"live stories:         {args.stories:,}, {kind} (filled in {fill_s:.0f} s)")
    print(
        f"state memory:         {memory / 2**20:,.0f} MiB "
        f"({memory / 2**20 * 100_000 / max(1, args.stories):,.0f} MiB per 100,000 stories, "
        "resident memory of the process before and after)"
    )
    print(f"spaCy model:          {1000 * model_s:7.2f} ms/article (title + body, one at a time)")
    print(f"stories signature:    {1000 * sig_s:7.3f} ms/article")
    print(f"stories decision:     {1000 * assign_s:7.3f} ms/article")
    print(f"stage / model:        {stage_s / model_s:7.3f}  (target <= 0.05)")
    return 0
