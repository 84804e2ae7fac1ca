"""Quotes: direct quotes in a text and their speaker, where the text attributes them to a person
the entity stage found."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from service.schemas import Entity, Quote

_QUOTE = re.compile(r"[\"“]([^\"“”\n]{2,2000}?)[\"”]")


_SPEECH = (
    r"(?:said|says|say|told|added|adds|stated|declared|noted|stressed|explained|insisted|warned|"
    r"urged|argued|asked|replied|wrote|announced|according to)"
)


_AFTER = re.compile(
    rf"\s*,?\s*(?:(?P<verb1>{_SPEECH})\s+(?P<who1>[^,.;\"“]{{2,60}})|"
    rf"(?P<who2>[^,.;\"“]{{2,60}}?)\s+{_SPEECH}\b)"
)


_BEFORE = re.compile(
    rf"(?P<who>[^,.;\"”]{{2,80}}?)\s+{_SPEECH}\b(?:[^\"“]{{0,60}}?(?::|,|\bthat))?\s*$"
)


def find_quotes(text: str, entities: list[Entity], field: str) -> list[Quote]:
    """Direct quotes with their speaker where the text attributes them (else speaker None)."""
    people = [
        (m.start, m.end, e)
        for e in entities
        if e.label == "PERSON"
        for m in e.mentions
        if m.field == field
    ]
    people.sort(key=lambda p: p[0])
    starts = [p[0] for p in people]  # people are looked up by position, never scanned whole
    quotes: list[Quote] = []
    for match in _QUOTE.finditer(text):
        inner_start, inner_end = match.start(1), match.end(1)
        # The comma before the closing mark belongs to the attribution ("...," he said).
        while inner_end > inner_start and text[inner_end - 1] in ", ":
            inner_end -= 1
        content = text[inner_start:inner_end]
        after = _AFTER.match(text, match.end(), min(len(text), match.end() + 90))
        # Searched back 200 characters at most: a page without newlines is not rescanned per quote.
        line_start = max(
            text.rfind("\n", max(0, match.start() - 200), match.start()) + 1,
            match.start() - 200,
        )
        before = _BEFORE.search(text, line_start, match.start())
        if after is None and before is None and len(content.split()) < 6:
            continue  # scare quotes: "reset", "Cold War"
        speaker: Entity | None = None
        window: tuple[int, int] | None = None
        if after is not None:
            group = "who1" if after.group("who1") else "who2"
            window = (after.start(group), after.end(group))
        elif before is not None:
            window = (before.start("who"), before.end("who"))
        if window is not None:
            lo, hi = bisect_left(starts, window[0]), bisect_right(starts, window[1])
            named = [p for p in people[lo:hi] if p[1] <= window[1]]
            if named:
                speaker = named[-1][2]
            else:
                # The last person (in order of start) who ends before the quote.
                for p in reversed(people[: bisect_left(starts, match.start())]):
                    if p[1] <= match.start():
                        speaker = p[2]
                        break
        else:
            # A partial quote inside a sentence about someone: "Rogozin urged NATO to "start
            # doing business ..."": the person the sentence opens with.
            sentence_start = max(
                text.rfind(". ", max(0, line_start - 1), match.start()) + 2, line_start
            )
            lo, hi = bisect_left(starts, sentence_start), bisect_left(starts, match.start())
            subject = [p for p in people[lo:hi] if p[1] <= match.start()]
            if subject:
                speaker = subject[0][2]
        quotes.append(
            Quote(
                text=content,
                speaker=speaker.name if speaker else None,
                speaker_id=speaker.id if speaker else None,
                start=inner_start,
                end=inner_end,
                field=field,  # type: ignore[arg-type]
            )
        )
    return quotes
