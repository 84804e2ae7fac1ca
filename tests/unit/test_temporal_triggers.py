"""The temporal rules' trigger words (tagger._TRIGGERS) never hide a match.

A rule is skipped on a text that holds none of its trigger words: a trigger list that falls
behind its pattern would lose that rule's matches silently. Every line of the project's own
pages, seeds and temporal test sentences is scanned with every rule, unfiltered: a rule that
matches a line must be among the rules the filter runs on it.
"""

from __future__ import annotations

from pathlib import Path

from service.core.temporal import tagger

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (
    ROOT / "seeds",
    ROOT / "tests" / "unit" / "textpages",
    ROOT / "tests" / "unit" / "pages",
    ROOT / "tests" / "unit" / "intl_pages",
    ROOT / "tests" / "blind",
    ROOT / "tests" / "unit" / "test_temporal.py",
)


def _lines() -> list[str]:
    lines: list[str] = []
    for source in SOURCES:
        if source.is_file():
            files = [source]
        else:
            files = sorted(p for p in source.rglob("*") if p.is_file())
        for path in files:
            if path.suffix not in (".txt", ".html", ".py", ".json"):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            lines.extend(line for line in text.splitlines() if line.strip())
    return lines


def test_every_rule_that_matches_a_line_is_run_on_it() -> None:
    lines = _lines()
    assert len(lines) > 2000, len(lines)
    missed: list[tuple[str, str]] = []
    matched = 0
    for line in lines:
        for text in (line, line.title()):
            run = set(tagger._rules_for(text))
            for idx, (rx, _resolver, _prio) in enumerate(tagger._RULES):
                if rx.search(text) is not None:
                    matched += 1
                    if idx not in run:
                        missed.append((rx.pattern[:60], text[:80]))
    assert matched > 1000, matched
    assert not missed, missed[:10]


def test_a_line_without_trigger_words_runs_few_rules() -> None:
    assert len(tagger._rules_for("Ferries resumed service.")) < len(tagger._RULES) // 2
