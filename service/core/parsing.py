"""The spaCy model over article texts, at a cost linear in their size: long texts in pieces.

The model's own costs are not all linear: its tokenizer rescans a run of characters without a
space once per punctuation mark it splits off, and its memory grows with the tokens it sees at
once (2.7 GB for a 900 KB article in one piece). So a text longer than `PIECE_CHARS` is parsed in
pieces cut at paragraph, line, sentence or word boundaries, a run of more than `RUN_CHARS`
characters without whitespace is cut into runs of at most that size, the pieces go through the
model in groups of at most `GROUP_CHARS`, and the pieces' docs are joined back into one Doc
whose text is the input text, character for character, so offsets stay right.

A piece that is not prose (mostly punctuation, or a few words repeated hundreds of times) is
tokenized only: the model would spend as much on its tokens as on real words and find nothing.
A text of one piece that is prose (any normal article) goes through the model exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

PIECE_CHARS = 20_000  # longest piece the model sees; longer texts are cut at a boundary
RUN_CHARS = 1_000  # longest run without whitespace handed to the tokenizer in one call
GROUP_CHARS = 100_000  # most characters in one call of the model (its memory grows with them)
SUFFIX_WINDOW = 64  # the tokenizer's suffix rules only look at a token's last characters

# Not prose: fewer letters and digits than this share of the visible characters, or fewer
# letters than that...
MIN_ALNUM_SHARE = 0.3
MIN_LETTER_SHARE = 0.2
# ...or at least this many words of which fewer than this share are distinct.
MIN_WORDS_FOR_VARIETY = 300
MIN_VARIETY = 0.02

_LONG_RUN = re.compile(rf"\S{{{RUN_CHARS + 1},}}")
_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")


def bound_tokenizer(nlp: Language) -> None:
    """Make the tokenizer's suffix search look at the end of a token only.

    spaCy searches a `...$` pattern over the whole remaining token for every suffix it splits
    off, which is quadratic in a token's length (a page of double quotes or parentheses). A
    suffix is a few characters long; searching from `SUFFIX_WINDOW` characters before the end
    finds the same suffix (lookbehinds still see the characters before the window) for any
    suffix shorter than the window. Idempotent.
    """
    tokenizer = nlp.tokenizer
    search = getattr(tokenizer, "suffix_search", None)
    if search is None or getattr(search, "_dateline_bounded", False):
        return
    pattern = getattr(search, "__self__", None)
    if not isinstance(pattern, re.Pattern):
        return

    def suffix_search(string: str, _rx: re.Pattern[str] = pattern) -> re.Match[str] | None:
        return _rx.search(string, max(0, len(string) - SUFFIX_WINDOW))

    suffix_search._dateline_bounded = True  # type: ignore[attr-defined]
    tokenizer.suffix_search = suffix_search  # type: ignore[union-attr]


def pieces(text: str, limit: int | None = None, run_limit: int | None = None) -> list[int]:
    """Cut points of `text` (ascending, the last is len(text)): pieces of at most `limit`
    characters, cut after a paragraph break, a line break, a sentence end or a space in the
    second half of the window, else hard; runs without whitespace longer than `run_limit` cut
    every `run_limit` characters. Linear: each window is searched once."""
    limit = PIECE_CHARS if limit is None else limit
    run_limit = RUN_CHARS if run_limit is None else run_limit
    n = len(text)
    cuts: list[int] = []
    pos = 0
    while pos < n:
        end = min(n, pos + limit)
        if end < n:
            end = _boundary(text, pos + limit // 2, end)
        for run in _LONG_RUN.finditer(text, pos, end):
            cuts.extend(range(run.start() + run_limit, run.end(), run_limit))
        cuts.append(end)
        pos = end
    cuts.sort()
    return cuts


def _boundary(text: str, lo: int, hi: int) -> int:
    for sep in ("\n\n", "\n", ". ", " "):
        at = text.rfind(sep, lo, hi)
        if at >= 0:
            return at + len(sep)
    return hi


def worth_parsing(piece: str) -> bool:
    """Whether the model has anything to find in `piece` (see the module docstring): enough
    letters, and words that are not a few repeated. Not normalize's test of a prose line
    (normalize/page.py `_is_prose`: a sentence of ten words or more)."""
    visible = len(piece) - sum(len(m) for m in _SPACE.findall(piece))
    if visible == 0:
        return False
    alnum = sum(1 for c in piece if c.isalnum())
    letters = sum(1 for c in piece if c.isalpha())
    if alnum < MIN_ALNUM_SHARE * visible or letters < MIN_LETTER_SHARE * visible:
        return False
    words = _WORD.findall(piece)
    if len(words) < MIN_WORDS_FOR_VARIETY:
        return True
    return len({w.lower() for w in words}) >= MIN_VARIETY * len(words)


# Each Doc's text, built once: spaCy joins its tokens' texts again on every `doc.text` (0.035 ms
# for a bench article), and the entity, quote, date and event stages each read it. A Doc's text
# never changes (the retokenizer keeps it); the entry goes with the Doc.
_TEXTS: WeakKeyDictionary[Doc, str] = WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once a Doc."""
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def _keep_texts(docs: Sequence[Doc], texts: Sequence[str]) -> None:
    """Each Doc's text is the text it was made from (`doc.text == text`, character for
    character): kept as its `doc_text`, which then never joins its tokens again."""
    for doc, text in zip(docs, texts, strict=True):
        _TEXTS[doc] = text


def parse_texts(nlp: Language, texts: Sequence[str]) -> list[Doc]:
    """One Doc per text, `doc.text == text`, at a cost and memory linear in the texts' size."""
    bound_tokenizer(nlp)
    cuts = [pieces(text) for text in texts]
    chunks: list[str] = []
    for text, ends in zip(texts, cuts, strict=True):
        start = 0
        for end in ends:
            chunks.append(text[start:end])
            start = end
    parsed: list[Doc | None] = [None] * len(chunks)
    model = [i for i, c in enumerate(chunks) if worth_parsing(c)]
    for group in _groups(model, chunks):
        for i, doc in zip(group, nlp.pipe([chunks[i] for i in group]), strict=True):
            parsed[i] = doc
    for i, chunk in enumerate(chunks):
        if parsed[i] is None:
            parsed[i] = _words_only(nlp, chunk)
    docs: list[Doc] = []
    at = 0
    for text, ends in zip(texts, cuts, strict=True):
        own = [d for d in parsed[at : at + len(ends)] if d is not None]
        at += len(ends)
        if not own:  # an empty text has no cut points
            docs.append(nlp.make_doc(text))
        elif len(own) == 1:
            docs.append(own[0])
        else:
            docs.append(_join(own))
    _keep_texts(docs, texts)
    return docs


def tokens_only(nlp: Language, text: str) -> Doc:
    """The tokenizer alone (`nlp.make_doc`), in pieces: no length limit, no quadratic token."""
    bound_tokenizer(nlp)
    docs, start = [], 0
    for end in pieces(text):
        docs.append(_tokens_only(nlp, text[start:end]))
        start = end
    doc = nlp.make_doc(text) if not docs else docs[0] if len(docs) == 1 else _join(docs)
    _keep_texts([doc], [text])
    return doc


def _join(docs: list[Doc]) -> Doc:
    from spacy.tokens import Doc

    # The model's tensors are not read after the pipeline, and tokens-only pieces have none.
    joined: Doc = Doc.from_docs(  # type: ignore[call-arg]  # the stub lacks `exclude`
        docs, ensure_whitespace=False, exclude=["tensor"]
    )
    return joined


_WORD_OR_SPACE = re.compile(rf"\S{{1,{RUN_CHARS}}}|\s+")


def _words_only(nlp: Language, chunk: str) -> Doc:
    """A piece that is not prose, split at whitespace only: a run of 1,000 quotes is one token,
    not 1,000 (memory grows with tokens: 2 MB of quotes were 2 million of them)."""
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    for match in _WORD_OR_SPACE.finditer(chunk):
        part = match.group()
        if not part[0].isspace():
            words.append(part)
            spaces.append(False)
        elif words and not spaces[-1] and not words[-1][0].isspace() and part[0] == " ":
            spaces[-1] = True  # one space after a word belongs to it, as spaCy does
            if len(part) > 1:
                words.append(part[1:])
                spaces.append(False)
        else:
            words.append(part)
            spaces.append(False)
    return Doc(nlp.vocab, words=words, spaces=spaces)


def _tokens_only(nlp: Language, chunk: str) -> Doc:
    return nlp.make_doc(chunk)


def _groups(indices: list[int], chunks: list[str]) -> Iterator[list[int]]:
    group: list[int] = []
    size = 0
    for i in indices:
        if group and size + len(chunks[i]) > GROUP_CHARS:
            yield group
            group, size = [], 0
        group.append(i)
        size += len(chunks[i])
    if group:
        yield group
