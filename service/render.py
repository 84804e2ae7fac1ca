"""How events look at a terminal: the summaries of `dateline run`, the lines of `dateline tail`."""

from __future__ import annotations

from typing import Any

from service.outputs import DEAD_LETTERS
from service.wire import REASON, SOURCE_OFFSET, SOURCE_PARTITION, SOURCE_TOPIC, STAGE


def summarize(event: dict[str, Any]) -> str:
    """A readable multi-line summary of one enriched event for a person at a terminal."""
    source = event.get("source") or {}
    dateline = event.get("dateline") or {}
    where = dateline.get("place") or "-"
    when = event.get("published_at") or "-"
    who = ", ".join(str(source[k]) for k in ("agency", "site") if source.get(k)) or "-"
    entities = sorted(event.get("entities") or [], key=lambda e: -e.get("salience", 0))[:6]
    ents = "; ".join(f"{e['name']} ({e['label']})" for e in entities) or "-"
    dates = "; ".join(f"{d['text']} = {d['value']}" for d in (event.get("dates") or [])[:6]) or "-"
    dup = f"\n  duplicate of {event['duplicate_of']}" if event.get("duplicate_of") else ""
    coded = "; ".join(render_coded(e) for e in (event.get("events") or [])[:4]) or "-"
    return (
        f"\n\u25cf {event.get('title') or '(no title)'}\n"
        f"  {when} | {where} | {who} | {event.get('language') or '?'} | "
        f"{event.get('word_count', 0)} words | id {event.get('id')}\n"
        f"  entities: {ents}\n"
        f"  dates:    {dates}\n"
        f"  events:   {coded}{dup}"
    )


def render_coded(event: dict[str, Any]) -> str:
    """ "Russia —DISAPPROVE→ Canada (2009-12-01, Brussels)"."""
    source = (event.get("source") or {}).get("name") or "?"
    target = (event.get("target") or {}).get("name")
    line = f"{source} \u2014{event['type']}\u2192"
    if target:
        line += f" {target}"
    where = ", ".join(str(v) for v in (event.get("date"), event.get("place")) if v)
    return f"{line} ({where})" if where else line


def render_story(event: dict[str, Any]) -> str:
    """ "+ [3 articles, en de] Magnitude 5.4 earthquake ... | Chino Hills | 2008-07-29 ← title"."""
    mark = "\u2605 new" if event.get("opened") else f"+ {event.get('score', 0):.2f}"
    span = event.get("date_start") or ""
    if event.get("date_end") and event.get("date_end") != span:
        span += f"..{event['date_end']}"
    places = ", ".join(p["name"] for p in (event.get("places") or [])[:3])
    people = ", ".join(e["name"] for e in (event.get("entities") or [])[:4])
    facts = " | ".join(x for x in (places, people, span) if x)
    return (
        f"{mark:>7} [{event.get('size', 0)} article(s), {' '.join(event.get('languages') or [])}]"
        f" {event.get('title', '')[:70]}\n         {facts}\n"
        f"         \u2190 {event.get('article_title', '')[:90]}"
    )


def matches(event: dict[str, Any], *, entity: str | None, label: str | None) -> bool:
    """Filters: --entity NAME (case-insensitive, part of the name) and --label L."""
    if entity is None and label is None:
        return True
    if "entity_id" in event:  # an entity event
        candidates = [event]
    else:
        candidates = list(event.get("entities") or [])
    for item in candidates:
        if entity and entity.lower() not in str(item.get("name", "")).lower():
            continue
        if label and str(item.get("label", "")).upper() != label.upper():
            continue
        return True
    return False


def render(topic_kind: str, event: dict[str, Any], headers: dict[str, bytes]) -> str:
    if topic_kind == DEAD_LETTERS.role:
        reason = headers.get(REASON, b"?").decode()
        stage = headers.get(STAGE, b"?").decode()
        where = "/".join(
            headers.get(k, b"?").decode() for k in (SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET)
        )
        return f"\u2717 {reason} at {stage} from {where}"
    if "story_id" in event:
        return render_story(event)
    if "trigger" in event and "type" in event:
        return render_coded(event)
    if "entity_id" in event:
        place = ""
        if event.get("country_code"):
            place = f" [{event['country_code']}"
            if event.get("latitude") is not None:
                place += f" {event['latitude']:.2f},{event['longitude']:.2f}"
            place += "]"
        return (
            f"{event['name']} ({event['label']}){place} x{event['count']} "
            f"salience {event['salience']:.2f} \u2014 {event['title']}"
        )
    if "sentence" in event:
        arrow = {"past": "\u2190", "future": "\u2192", "present": "\u2022"}.get(
            event.get("direction") or "", " "
        )
        return f"{arrow} {event['value']:<20} {event['text']!r:<24} {event['sentence'][:100]}"
    return summarize(event)
