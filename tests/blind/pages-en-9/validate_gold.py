#!/usr/bin/env python3
"""Check the gold files in this folder against their pages (stdlib only).

Usage: python3 validate_gold.py [folder]

Prints one FLAG line per problem and exits 1 if there is any; otherwise prints a summary and
exits 0. HTML pages are checked on their visible text: script and style removed, tags stripped
(each block element on its own line), entities decoded. Whitespace runs count as one space.
"""
import datetime
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

KEYS = ["title", "site", "agency", "published_at", "dateline_place", "language",
        "body_first_words", "body_last_words", "boilerplate_lines", "entities", "dates", "tables"]
LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP"}
LANGS = {"en"}
BODY_WORDS = (150, 400)
N_ENTITIES = (6, 15)
N_DATES = (8, 20)

# --- TIMEX3 value shapes -------------------------------------------------------------------
_D = r"(?:\d{4}|XXXX)"
DATE_RE = re.compile(
    r"(?:PRESENT_REF|PAST_REF|FUTURE_REF"
    r"|\d{4}(?:-\d{2}(?:-\d{2})?)?"
    r"|\d{4}-W\d{2}(?:-WE)?"
    r"|\d{4}-(?:SP|SU|FA|WI)"
    r"|\d{4}-(?:Q[1-4]|H[12])"
    r"|\d{2,3}X*)")
TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}T(?:\d{2}:\d{2}(?::\d{2})?|MO|AF|EV|NI)")
DUR_RE = re.compile(r"P(?:(?:\d+(?:\.\d+)?|X)(?:Y|M|W|D|DE|CE))+(?:T(?:(?:\d+|X)(?:H|M|S))+)?"
                    r"|PT(?:(?:\d+|X)(?:H|M|S))+")
SET_RE = re.compile(_D + r"(?:-\d{2}|-(?:SP|SU|FA|WI)|-WXX-(?:[1-7]|WE)|-XX-XXT(?:MO|AF|EV|NI|\d{2}:\d{2}))")
SHAPES = {"DATE": [DATE_RE], "TIME": [TIME_RE], "DURATION": [DUR_RE], "SET": [DUR_RE, SET_RE]}

# --- weekday names (ISO numbers) -----------------------------------------------------------
WEEKDAYS = {
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "de": ["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"],
    "en": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
}
# "next week" / "last week" wordings: (pattern, offset in ISO weeks)
WEEK_WORDS = [
    (r"next week|coming week", 1), (r"last week|past week", -1),
    (r"semaine prochaine|prochaine semaine", 1), (r"semaine dernière|semaine passée|dernière semaine", -1),
    (r"(?:nächste|nächsten|kommende|kommenden|kommender) Woche", 1),
    (r"(?:vergangene|vergangenen|letzte|letzten|vorige|vorigen) Woche", -1),
    (r"próxima semana|semana (?:próxima|que viene)", 1), (r"semana pasada|pasada semana|semana anterior", -1),
]


class _Visible(HTMLParser):
    """Visible text of a page, one line per block element; script and style dropped."""
    SKIP = {"script", "style", "noscript", "template", "svg"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section",
             "article", "header", "footer", "nav", "ul", "ol", "table", "blockquote", "pre", "form",
             "aside", "figure", "figcaption", "main", "hr", "address", "button", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.cur, self.skip = [], [], 0

    def flush(self):
        text = re.sub(r"\s+", " ", "".join(self.cur)).strip()
        if text:
            self.lines.append(text)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.flush()

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCK:
            self.flush()

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)


def page_lines(path):
    raw = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".html", ".htm"):
        p = _Visible()
        p.feed(raw)
        p.close()
        p.flush()
        return p.lines
    return [re.sub(r"\s+", " ", line).strip() for line in raw.splitlines() if line.strip()]


def norm(s):
    return re.sub(r"\s+", " ", s or "").strip()


def word_re(s):
    return re.compile(r"(?<!\w)" + re.escape(norm(s)) + r"(?!\w)")


def spans(s, text):
    return [m.span() for m in word_re(s).finditer(text)]


def check(path, gold, flag):
    lines = page_lines(path)
    flat = " ".join(lines)
    line_set = set(lines)
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1

    if list(gold) != KEYS:
        flag("keys are %s, expected %s" % (list(gold), KEYS))
        return
    for k in ("site", "agency", "dateline_place"):
        if gold[k] is not None and not (isinstance(gold[k], str) and gold[k].strip()):
            flag("%s must be a non-empty string or null" % k)
    if gold["language"] not in LANGS:
        flag("language %r not one of %s" % (gold["language"], sorted(LANGS)))
    pub = gold["published_at"]
    pub_date = None
    if pub is not None:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2})?", pub):
            flag("published_at %r is not YYYY-MM-DD or YYYY-MM-DDThh:mm:ss (no zone)" % pub)
        else:
            pub_date = datetime.date.fromisoformat(pub[:10])

    # title and boilerplate are whole lines of the page
    if norm(gold["title"]) not in line_set:
        flag("title is not a whole line of the page: %r" % gold["title"])
    seen = set()
    for line in gold["boilerplate_lines"]:
        if norm(line) not in line_set:
            flag("boilerplate line not a whole line of the page: %r" % line)
        if line in seen:
            flag("boilerplate line listed twice: %r" % line)
        seen.add(line)
        if norm(line) == norm(gold["title"]):
            flag("title listed as boilerplate")

    # body span
    first, last = norm(gold["body_first_words"]), norm(gold["body_last_words"])
    nf, nl = flat.count(first), flat.count(last)
    if nf != 1:
        flag("body_first_words occur %d times: %r" % (nf, first))
    if nl != 1:
        flag("body_last_words occur %d times: %r" % (nl, last))
    if nf != 1 or nl != 1:
        return
    start, end = flat.index(first), flat.index(last) + len(last)
    if end <= start:
        flag("body_last_words come before body_first_words")
        return
    # the body is the span between the first and last words, less the chrome lines inside it
    chrome = {norm(line) for line in gold["boilerplate_lines"]}
    pieces = []
    for line, off in zip(lines, offsets):
        a, b = max(start, off), min(end, off + len(line))
        if a >= b:
            continue
        if a == off and b == off + len(line) and line in chrome:
            continue
        pieces.append(flat[a:b])
    body = norm(" ".join(pieces))
    n_words = len(body.split())
    if not BODY_WORDS[0] <= n_words <= BODY_WORDS[1]:
        flag("body has %d words, expected %d-%d" % (n_words, *BODY_WORDS))

    # entities
    ents = gold["entities"]
    if not N_ENTITIES[0] <= len(ents) <= N_ENTITIES[1]:
        flag("%d entities, expected %d-%d" % (len(ents), *N_ENTITIES))
    names = set()
    for e in ents:
        if list(e) != ["name", "label", "aliases"]:
            flag("entity keys %s, expected name/label/aliases" % list(e))
            continue
        if e["label"] not in LABELS:
            flag("entity %r has label %r" % (e["name"], e["label"]))
        if e["name"] in names:
            flag("entity %r listed twice" % e["name"])
        names.add(e["name"])
        if e["name"] in e["aliases"] or len(set(e["aliases"])) != len(e["aliases"]):
            flag("entity %r: aliases repeat the name or each other" % e["name"])
        if not word_re(e["name"]).search(flat):
            flag("entity name %r does not occur in the page" % e["name"])
        if not any(word_re(f).search(body) for f in [e["name"], *e["aliases"]]):
            flag("entity %r: no form occurs in the body" % e["name"])
        for a in e["aliases"]:
            if not word_re(a).search(body):
                flag("entity %r: alias %r does not occur in the body" % (e["name"], a))

    # dates
    dates = gold["dates"]
    if not N_DATES[0] <= len(dates) <= N_DATES[1]:
        flag("%d dates, expected %d-%d" % (len(dates), *N_DATES))
    texts = [d.get("text", "") for d in dates]
    if len(set(texts)) != len(texts):
        flag("a date text is listed twice")
    all_spans = {t: spans(t, body) for t in texts}
    for d in dates:
        if list(d) != ["text", "type", "value"]:
            flag("date keys %s, expected text/type/value" % list(d))
            continue
        t, typ, val = d["text"], d["type"], d["value"]
        own = all_spans[t]
        outside = [s for s in own if not any(o != t and len(o) > len(t) and any(a <= s[0] and s[1] <= b for a, b in all_spans[o])
                                               for o in texts)]
        if len(outside) != 1:
            flag("date %r occurs %d times in the body outside longer listed dates" % (t, len(outside)))
        if typ not in SHAPES:
            flag("date %r has type %r" % (t, typ))
        elif not any(r.fullmatch(val or "") for r in SHAPES[typ]):
            flag("date %r: value %r is not a %s value" % (t, val, typ))
        # weekday names agree with the value
        low = t.casefold()
        for lang, days in WEEKDAYS.items():
            for i, day in enumerate(days, 1):
                if re.search(r"(?<!\w)" + day, low):
                    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", val or "")
                    sm = re.fullmatch(r"XXXX-WXX-(\d)", val or "")
                    if m:
                        wd = datetime.date(*map(int, m.groups())).isoweekday()
                        if wd != i:
                            flag("date %r: %s is weekday %d, not %d" % (t, val, wd, i))
                    elif sm and int(sm.group(1)) != i:
                        flag("date %r: set %s is not weekday %d" % (t, val, i))
        # next / last week are one ISO week from publication
        if pub_date is not None:
            for pat, off in WEEK_WORDS:
                if re.search(r"(?<!\w)(?:" + pat + r")(?!\w)", t, re.I):
                    want = pub_date + datetime.timedelta(weeks=off)
                    want_w = want.isocalendar()[:2]
                    m = re.fullmatch(r"(\d{4})-W(\d{2})", val or "")
                    m2 = re.match(r"(\d{4})-(\d{2})-(\d{2})$", val or "")
                    got = (int(m.group(1)), int(m.group(2))) if m else (
                        datetime.date(*map(int, m2.groups())).isocalendar()[:2] if m2 else None)
                    if got != tuple(want_w):
                        flag("date %r: %s is not ISO week %d-W%02d" % (t, val, *want_w))
    # tables: rows as wide as the header, cells in order in the body
    for ti, table in enumerate(gold["tables"]):
        width = len(table[0]) if table else 0
        for row in table:
            if len(row) != width:
                flag("table %d row %r has %d cells, header %d" % (ti, row, len(row), width))
            pat = r"(?:\s|\|)+".join(re.escape(norm(c)) for c in row)
            if not re.search(pat, body):
                flag("table %d row %r not found in order in the body" % (ti, row))
    return n_words


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    golds = sorted(root.glob("*.gold.json"))
    problems = 0
    totals = {}
    for g in golds:
        stem = g.name[: -len(".gold.json")]
        pages = [p for p in root.glob(stem + ".*") if not p.name.endswith(".gold.json")]
        if len(pages) != 1:
            print("FLAG %s: %d page files for this gold" % (g.name, len(pages)))
            problems += 1
            continue

        def flag(msg, _name=g.name):
            nonlocal problems
            problems += 1
            print("FLAG %s: %s" % (_name, msg))

        try:
            gold = json.loads(g.read_text(encoding="utf-8"))
        except ValueError as exc:
            flag("not JSON: %s" % exc)
            continue
        before = problems
        n_words = check(pages[0], gold, flag)
        lang = gold.get("language")
        t = totals.setdefault(lang, [0, 0, 0])
        t[0] += 1
        t[1] += len(gold.get("entities") or [])
        t[2] += len(gold.get("dates") or [])
        if problems == before:
            print("ok   %s: %s body words, %d entities, %d dates" % (
                pages[0].name, n_words, len(gold.get("entities") or []), len(gold.get("dates") or [])))
    pages_without = [p for p in root.iterdir() if p.suffix in (".txt", ".html")
                     and not (root / (p.stem + ".gold.json")).exists()]
    for p in pages_without:
        print("FLAG %s: no gold file" % p.name)
        problems += 1
    for lang, (n, e, d) in sorted(totals.items(), key=lambda x: str(x[0])):
        print("%s: %d pages, %d entities, %d dates" % (lang, n, e, d))
    if problems:
        print("%d problem(s)" % problems)
        sys.exit(1)
    print("all %d gold files pass" % len(golds))


if __name__ == "__main__":
    main()
