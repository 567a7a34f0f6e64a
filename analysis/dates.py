"""When: every date expression, resolved to the calendar against the article's own publication date.

``dates(articles)`` finds absolute dates ("June 16", "2021-08-20", "October 2001", "in 2005"), relative
ones ("on Tuesday", "last week", "two months ago", "earlier this year", "twenty years later") and
durations ("two decades", "a three-day visit"), and gives each a TIMEX3-style ``value``:
``2021-06-16``, ``2021-06``, ``2021-W28``, ``2001``, ``P20Y``. Relative dates are resolved with the news
convention: a weekday in a past-tense sentence is the most recent one on or before publication, in a
future-tense sentence the next one on or after it; a bare month-day takes the year of publication
unless that would put a past event after publication. Where ``published`` is unknown a relative date
keeps ``value`` empty and ``note`` says why; absolute dates still resolve. "Twenty years later" is
anchored on the last year the article mentioned before it.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from .nlp import parsed_articles

__all__ = ["dates", "resolve", "timeline_table", "value_to_timestamp", "DATE_COLUMNS"]

DATE_COLUMNS = ["article_id", "text", "start", "end", "value", "type", "relative", "anchor", "tense", "note",
                "sentence_start", "sentence_end"]

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
_MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
               "oct": 10, "nov": 11, "dec": 12}
_WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                         "sunday"])}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
            "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
            "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
            "hundred": 100, "several": None, "few": None,
            "couple": 2, "a couple of": 2, "half a": 0.5}
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_UNIT = {"hour": "H", "day": "D", "week": "W", "month": "M", "year": "Y", "decade": "Y", "century": "Y",
         "minute": "MIN"}
_UNIT_MUL = {"decade": 10, "century": 100}

MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
         r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
NUM = (r"(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
       r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|hundred|several|few|"
       r"a couple of)")
NUM_WORDS = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:one|two|three|four|five|six|seven|"
             r"eight|nine)|" + NUM + r")")
UNIT = r"(?:hour|day|week|month|year|decade|century|minute)s?"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"

# Order matters: longer, more specific patterns first; a later pattern never overlaps an earlier match.
_PATTERNS: list[tuple[str, re.Pattern]] = [(name, re.compile(rx, flags)) for name, rx, flags in [
    ("iso", r"\b" + YEAR + r"-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b", 0),
    ("part_of_day_of", r"\b(?:the\s+)?(?:morning|afternoon|evening|night)\s+of\s+(?P<core2>" + DAY + r"\s+" + MONTH +
     r"|" + MONTH + r"\s+" + DAY + r"|" + WEEKDAY + r")\b", 0),
    ("weekday_part", r"\b(?:(?:late|early)\s+(?:on\s+)?)?" + WEEKDAY + r"\s+(?:morning|afternoon|evening|night)\b", 0),
    ("month_day_year", r"\b" + MONTH + r"\s+" + DAY + r",?\s+" + YEAR + r"\b", 0),
    ("day_month_year", r"\b" + DAY + r"\s+(?:of\s+)?" + MONTH + r",?\s+" + YEAR + r"\b", 0),
    ("weekday_month_day", r"\b" + WEEKDAY + r",?\s+" + MONTH + r"\s+" + DAY + r"\b(?!,?\s+" + YEAR + ")", 0),
    ("month_day", r"\b" + MONTH + r"\s+" + DAY + r"\b(?!,?\s+" + YEAR + r")(?![\d:])", 0),
    ("day_month", r"\b" + DAY + r"\s+(?:of\s+)?" + MONTH + r"\b(?!,?\s+" + YEAR + ")", 0),
    ("month_year", r"\b(?:(?:early|mid|late)[- ])?" + MONTH + r",?\s+(?:of\s+)?" + YEAR + r"\b", 0),
    ("decade", r"\b(?:the\s+)?(?:(?:early|mid|late)[- ])?" + r"(?:1[5-9]\d0|20\d0)['’]?s\b", 0),
    ("mid_year", r"\b(?:early|mid|late)-" + YEAR + r"\b", re.I),
    ("quarter", r"\b(?:Q[1-4]|the\s+(?:first|second|third|fourth)\s+quarter)(?:\s+(?:of\s+)?" + YEAR + r")?\b", 0),
    ("ago", r"\b(?:(?:about|around|nearly|almost|some|roughly|just|more than|less than|over)\s+)?" + NUM_WORDS +
     r"\s+" + UNIT + r"\s+ago\b", re.I),
    ("later", r"\b" + NUM_WORDS + r"\s+" + UNIT + r"\s+(?:later|earlier|on\b(?=\s*[,.;])|after\b(?=\s*[,.;])|"
     r"before\b(?=\s*[,.;]))", re.I),
    ("season_year", r"\b(?:the\s+)?(?:(?:spring|summer|autumn|fall|winter)|(?:first|second)\s+half)\s+(?:of\s+)?" +
     YEAR + r"\b", re.I),
    ("that_unit", r"\b(?:(?:later|earlier)\s+)?(?:that|the\s+same|the\s+following|the\s+previous)\s+"
     r"(?:year|month)\b", re.I),
    ("rel_unit", r"\b(?:(?:earlier|later)\s+this|last|next|this|past|coming|previous|following)\s+"
     r"(?:week(?:end)?|month|year|summer|winter|spring|autumn|fall|quarter|decade|century)\b", re.I),
    ("rel_weekday", r"\b(?:last|next|this|past|coming)\s+" + WEEKDAY + r"\b", re.I),
    ("deictic", r"\b(?:yesterday|today|tomorrow|tonight)\b", re.I),
    ("season", r"\b(?:the|this|last|next)\s+(?:spring|summer|autumn|fall|winter)\b", re.I),
    ("quarter_adj", r"\b(?:first|second|third|fourth)-quarter\b", re.I),
    ("clock_word", r"\b(?:midday|noon|midnight)\b", re.I),
    ("fortnight", r"\b(?:a|one|two|three)\s+fortnights?\b", re.I),
    ("now", r"\b(?:now|currently|at present|nowadays|at the moment)\b", re.I),
    ("weekday", r"\b" + WEEKDAY + r"\b", 0),
    ("month_alone", r"\b(?:[Ii]n|of|since|until|by|from|at|during|before|after)\s+(?P<core>(?:the\s+(?:end|beginning|"
     r"start|middle)\s+of\s+|early\s+|late\s+|mid-?)?" + MONTH + r")\b(?!\s+\d)", 0),
    ("duration_compound", r"\b" + NUM_WORDS + r"-(?:hour|day|week|month|year|decade|century)(?:-old|-long)?\b", re.I),
    ("duration", r"\b(?:the\s+(?:past|last|next)\s+)?" + NUM_WORDS + r"\s+(?:(?:long|full|straight|consecutive|short|"
     r"whole|more|additional|hard|further)\s+)?" + UNIT + r"\b(?!\s+(?:ago|later|earlier))", re.I),
    ("clock", r"\b(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)"
     r"|\b(?:[01]?\d|2[0-3])\s+o['’]clock\b", 0),
    ("year", r"(?<![\d,.$£€-])\b" + YEAR + r"\b(?![\d%-]|,\d|\s+(?:troops|people|soldiers|homes|votes|tonnes|km|"
     r"miles|feet|metres|meters|dollars|euros)\b)", 0),
    ("set", r"\b(?:every|each)\s+(?:day|week|month|quarter|year|summer|winter)\b"
     r"|\b(?:annually|yearly|weekly|monthly|daily)\b", re.I),
]]


# =========================================================================== resolution


def _num(word: str) -> float | None:
    word = word.lower().strip()
    if re.match(r"^\d+(\.\d+)?$", word):
        return float(word)
    parts = re.split(r"[- ]", word)
    if word in _NUMBERS:
        return _NUMBERS[word]
    if len(parts) == 2 and parts[0] in _NUMBERS and parts[1] in _NUMBERS and _NUMBERS[parts[0]] and _NUMBERS[parts[1]]:
        return _NUMBERS[parts[0]] + _NUMBERS[parts[1]]
    return None


def _month(word: str) -> int:
    w = word.lower().rstrip(".")
    return _MONTHS.get(w) or _MONTH_ABBR.get(w[:4] if w.startswith("sept") else w[:3], 0)


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _fmt_duration(n: float, unit: str) -> str:
    base = unit.rstrip("s").lower()
    mul = _UNIT_MUL.get(base, 1)
    value = n * mul
    text = str(int(value)) if float(value).is_integer() else str(value)
    code = _UNIT[base]
    if code in ("H", "MIN"):
        return f"PT{text}{'M' if code == 'MIN' else 'H'}"
    return f"P{text}{code}"


def resolve(kind: str, surface: str, published: dt.date | None, *, tense: str = "past",
            last_year: int | None = None) -> tuple[str, str, bool, str, str]:
    """(value, type, relative, anchor, note) for one matched expression.

    >>> resolve("month_day", "June 16", dt.date(2021, 8, 20))[:3]
    ('2021-06-16', 'DATE', True)
    >>> resolve("weekday", "Tuesday", dt.date(2021, 7, 14))[0]
    '2021-07-13'
    >>> resolve("ago", "two months ago", None)[0], resolve("ago", "two months ago", None)[4]
    ('', 'publication date unknown')
    """
    s = surface.strip()
    low = s.lower()
    unknown = "publication date unknown"
    if kind == "iso":
        return s, "DATE", False, "", ""
    if kind in ("month_day_year", "day_month_year"):
        month = next(_month(w) for w in re.findall(r"[A-Za-z]+\.?", s) if _month(w))
        day = int(re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)", s).group(1))
        year = int(re.search(YEAR, s).group(0))
        return f"{year:04d}-{month:02d}-{day:02d}", "DATE", False, "", ""
    if kind == "month_year":
        month = next(_month(w) for w in re.findall(r"[A-Za-z]+\.?", s) if _month(w))
        year = int(re.search(YEAR, s).group(0))
        return f"{year:04d}-{month:02d}", "DATE", False, "", ""
    if kind == "year":
        return s, "DATE", False, "", ""
    if kind == "decade":
        digits = re.search(r"\d{4}", s).group(0)
        return digits[:3], "DATE", False, "", ""
    if kind == "mid_year":
        return re.search(YEAR, s).group(0), "DATE", False, "", ""
    if kind == "quarter":
        q = re.search(r"Q([1-4])", s)
        n = int(q.group(1)) if q else ["first", "second", "third", "fourth"].index(low.split()[1]) + 1
        year = re.search(YEAR, s)
        if year:
            return f"{year.group(0)}-Q{n}", "DATE", False, "", ""
        if published is None:
            return "", "DATE", True, "publication", unknown
        return f"{published.year}-Q{n}", "DATE", True, "publication", ""
    if kind in ("month_day", "day_month", "weekday_month_day"):
        month = next(_month(w) for w in re.findall(r"[A-Za-z]+\.?", s) if _month(w))
        day = int(re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", s).group(1))
        if published is None:
            return f"XXXX-{month:02d}-{day:02d}", "DATE", True, "publication", "year unknown: " + unknown
        year = published.year
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return "", "DATE", True, "publication", "not a calendar date"
        if tense == "past" and candidate > published:
            year -= 1
        elif tense == "future" and candidate < published:
            year += 1
        elif tense == "present" and abs((candidate - published).days) > 182:
            year += 1 if candidate < published else -1
        return f"{year:04d}-{month:02d}-{day:02d}", "DATE", True, "publication", ""
    if kind == "month_alone":
        month = _month(re.findall(r"[A-Za-z]+", s)[-1])
        if published is None:
            return f"XXXX-{month:02d}", "DATE", True, "publication", "year unknown: " + unknown
        year = published.year
        if tense == "past" and month > published.month:
            year -= 1
        elif tense == "future" and month < published.month:
            year += 1
        return f"{year:04d}-{month:02d}", "DATE", True, "publication", ""
    if kind in ("weekday", "rel_weekday"):
        target = _WEEKDAYS[re.search(WEEKDAY, s).group(0).lower()]
        if published is None:
            return "", "DATE", True, "publication", unknown
        modifier = low.split()[0] if kind == "rel_weekday" else ""
        back = (published.weekday() - target) % 7
        ahead = (target - published.weekday()) % 7
        if modifier in ("last", "past"):
            day = published - dt.timedelta(days=back or 7)
        elif modifier in ("next", "coming"):
            day = published + dt.timedelta(days=ahead or 7)
        elif tense == "future" or (tense == "present" and ahead < back):
            day = published + dt.timedelta(days=ahead)  # a present tense takes the nearer one
        else:
            day = published - dt.timedelta(days=back)
        return day.isoformat(), "DATE", True, "publication", ""
    if kind == "deictic":
        if published is None:
            return "", "DATE", True, "publication", unknown
        offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[low]
        value = (published + dt.timedelta(days=offset)).isoformat()
        return (value + "TNI" if low == "tonight" else value), "DATE" if low != "tonight" else "TIME", True, \
            "publication", ""
    if kind == "season_year":
        year = re.search(YEAR, s).group(0)
        if "half" in low:
            return f"{year}-H{1 if 'first' in low else 2}", "DATE", False, "", ""
        season = next(v for k, v in _SEASONS.items() if k in low)
        return f"{year}-{season}", "DATE", False, "", ""
    if kind == "that_unit":
        if last_year is None:
            return "", "DATE", True, "another date in the text", "no earlier date in the text to count from"
        shift = 1 if "following" in low else (-1 if "previous" in low else 0)
        return f"{last_year + shift:04d}", "DATE", True, "another date in the text", ""
    if kind == "season":
        season = next(v for k, v in _SEASONS.items() if k in low)
        if published is None:
            return "", "DATE", True, "publication", unknown
        year = published.year + (1 if low.startswith("next") else -1 if low.startswith("last") else 0)
        start_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[season]
        if low.startswith("the") and tense == "past" and start_month > published.month:
            year -= 1  # "since the autumn", written in March: last autumn
        return f"{year:04d}-{season}", "DATE", True, "publication", ""
    if kind == "quarter_adj":
        n = ["first", "second", "third", "fourth"].index(low.split("-")[0]) + 1
        if published is None:
            return "", "DATE", True, "publication", unknown
        return f"{published.year}-Q{n}", "DATE", True, "publication", ""
    if kind == "clock_word":
        return {"midday": "T12:00", "noon": "T12:00", "midnight": "T24:00"}[low], "TIME", False, "", ""
    if kind == "fortnight":
        n = _num(low.split()[0]) or 1
        return f"P{int(2 * n)}W", "DURATION", False, "", ""
    if kind in ("part_of_day_of", "weekday_part"):
        part = next(v for k, v in _PARTS.items() if k in low)
        core = re.sub(r"^(?:late|early)\s+(?:on\s+)?|^(?:the\s+)?(?:morning|afternoon|evening|night)\s+of\s+|"
                      r"\s+(?:morning|afternoon|evening|night)$", "", s, flags=re.I)
        inner_kind = "weekday" if re.fullmatch(WEEKDAY, core) else ("day_month" if core[:1].isdigit() else "month_day")
        value, _, relative, anchor, note = resolve(inner_kind, core, published, tense=tense, last_year=last_year)
        return (value + "T" + part if value else ""), "TIME", relative, anchor, note
    if kind == "now":  # the time of writing, whatever the publication date (TIMEX3 PRESENT_REF)
        return "PRESENT_REF", "DATE", True, "publication", ""
    if kind == "rel_unit":
        words = low.split()
        unit = words[-1]
        if published is None:
            return "", "DATE", True, "publication", unknown
        delta = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(words[0], 0)
        if unit in ("week", "weekend"):
            return _iso_week(published + dt.timedelta(weeks=delta)) + ("-WE" if unit == "weekend" else ""), "DATE", \
                True, "publication", ""
        if unit == "month":
            y, m = _shift_month(published.year, published.month, delta)
            return f"{y:04d}-{m:02d}", "DATE", True, "publication", ""
        if unit == "year":
            return f"{published.year + delta:04d}", "DATE", True, "publication", ""
        if unit == "decade":
            return f"{str(published.year + 10 * delta)[:3]}", "DATE", True, "publication", ""
        if unit == "century":
            return f"{str(published.year + 100 * delta)[:2]}", "DATE", True, "publication", ""
        season = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI", "quarter": "Q"}[unit]
        if season == "Q":
            q = (published.month - 1) // 3 + 1 + delta
            y = published.year + (q - 1) // 4
            return f"{y:04d}-Q{(q - 1) % 4 + 1}", "DATE", True, "publication", ""
        return f"{published.year + delta:04d}-{season}", "DATE", True, "publication", ""
    if kind == "ago":
        m = re.match(r"(?:(?:about|around|nearly|almost|some|roughly|just|more than|less than|over)\s+)?(.+?)\s+("
                     + UNIT + r")\s+ago", low)
        n, unit = _num(m.group(1)), m.group(2).rstrip("s")
        if published is None:
            return "", "DATE", True, "publication", unknown
        if n is None:
            return "", "DATE", True, "publication", "vague amount"
        n_int = int(n * _UNIT_MUL.get(unit, 1))
        if unit in ("year", "decade", "century"):
            return f"{published.year - n_int:04d}", "DATE", True, "publication", ""
        if unit == "month":
            y, mth = _shift_month(published.year, published.month, -n_int)
            return f"{y:04d}-{mth:02d}", "DATE", True, "publication", ""
        if unit == "week":
            return _iso_week(published - dt.timedelta(weeks=n_int)), "DATE", True, "publication", ""
        if unit == "day":
            return (published - dt.timedelta(days=n_int)).isoformat(), "DATE", True, "publication", ""
        return "", "DATE", True, "publication", "too fine to resolve to a date"
    if kind == "later":
        m = re.match(r"(.+?)\s+(" + UNIT + r")\s+(later|earlier|before|after|on)", low)
        n, unit, direction = _num(m.group(1)), m.group(2).rstrip("s"), m.group(3)
        sign = -1 if direction in ("earlier", "before") else 1
        if n is None:
            return "", "DATE", True, "another date in the text", "vague amount"
        if unit in ("year", "decade", "century") and last_year is not None:
            return f"{last_year + sign * int(n * _UNIT_MUL.get(unit, 1)):04d}", "DATE", True, \
                "another date in the text", ""
        return "", "DATE", True, "another date in the text", "no earlier date in the text to count from"
    if kind in ("duration", "duration_compound"):
        m = re.search(r"(" + NUM_WORDS + r")[- ](?:(?:long|full|straight|consecutive|short|whole|more|additional|hard|"
                      r"further)\s+)?(hour|day|week|month|year|decade|century|minute)", low)
        if m is None:
            return "", "DURATION", False, "", "unreadable duration"
        n = _num(m.group(1))
        if n is None:
            return f"P{_UNIT[m.group(2)] if _UNIT[m.group(2)] != 'MIN' else 'TM'}X".replace("PH", "PTXH"), \
                "DURATION", False, "", "vague amount"
        return _fmt_duration(n, m.group(2)), "DURATION", False, "", ""
    if kind == "clock":
        m = re.match(r"(\d{1,2})(?::(\d{2}))?\s*(a\.m\.|p\.m\.|am|pm|o['’]clock)?", low)
        hour, minute, half = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "")
        if half.startswith("p") and hour < 12:
            hour += 12
        if half.startswith("a") and hour == 12:
            hour = 0
        return f"T{hour:02d}:{minute:02d}", "TIME", False, "", ""
    if kind == "set":
        unit = {"annually": "Y", "yearly": "Y", "weekly": "W", "monthly": "M", "daily": "D"}.get(low)
        if unit is None:
            word = low.split()[-1]
            if word == "quarter":
                return "P3M", "SET", False, "", ""
            unit = {"day": "D", "week": "W", "month": "M", "year": "Y"}.get(word, "Y")
        return f"P1{unit}", "SET", False, "", ""
    return "", "DATE", False, "", "not understood"


# =========================================================================== finding expressions


def _tense(doc, start: int) -> str:
    """past / present / future of the clause a date sits in: the verb it hangs from, its auxiliaries."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or not len(span):
        return "past"
    tok = span[0]
    before = doc[max(0, tok.i - 2):tok.i]
    if any(t.lower_ == "since" for t in before):
        return "past"  # "since the autumn", "since Monday": whatever the verb's tense
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX"):
            break
        if tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        # a noun phrase ("a June 16 summit"): the clause's main verb decides
        tok = tok.sent.root
    for _ in range(3):  # "travel ... and meet ... on December 2": a bare verb takes its head's tense
        if tok.tag_ == "VB" and any(c.lower_ == "to" and c.dep_ == "aux" for c in tok.children):
            return "future"  # "ordered him to report by Nov. 1", "expected to halt services until 23 March"
        if tok.tag_ in ("VB", "VBG") and not any(c.dep_ in ("aux", "auxpass") for c in tok.children) and \
                tok.dep_ in ("conj", "xcomp", "advcl") and tok.head.pos_ in ("VERB", "AUX"):
            tok = tok.head
            continue
        break
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")] + ([tok] if tok.pos_ == "AUX" else [])
    if any(a.lower_ in ("will", "shall", "'ll", "’ll", "would") for a in auxes):
        return "future"  # "would" in reported speech is the future seen from the past
    if tok.tag_ == "VBG" and any(a.lemma_ == "be" and a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "future"  # "is holding talks on Monday"
    if tok.lemma_ in ("expect", "schedule", "plan", "due", "set", "slate", "forecast") and tok.tag_ == "VBN" and any(
            a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "future"  # "more rain is expected on Thursday", "talks are scheduled for Monday"
    if tok.tag_ == "VBN" and any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"  # "has been closed since Monday", "is held on Friday"
    if "Past" in tok.morph.get("Tense") or any("Past" in a.morph.get("Tense") for a in auxes) or tok.tag_ == "VBN":
        return "past"
    if tok.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return "past"


_TENSED = {"weekday", "month_day", "day_month", "month_alone", "weekday_month_day", "part_of_day_of", "weekday_part",
           "season"}


def _find(text: str) -> list[tuple[int, int, str]]:
    taken: list[tuple[int, int]] = []
    found = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            s, e = (m.start("core"), m.end("core")) if "core" in rx.groupindex else (m.start(), m.end())
            if kind == "part_of_day_of":
                s = m.start()
            if kind in ("duration", "later") and text[s:e].lower().startswith(("a ", "an ")) and kind == "duration":
                pass
            if any(s < te and ts < e for ts, te in taken):
                continue
            if kind == "weekday" and re.search(r"\b(?:Good|Black|Super|Cyber|Ash|Holy|Easter|Palm|Maundy)\s+$",
                                                text[max(0, s - 8):s]):
                continue  # a named day ("Black Friday", "Super Tuesday"), not a date
            if kind == "duration" and not _duration_ok(text, s, e):
                continue
            taken.append((s, e))
            found.append((s, e, kind))
    return sorted(found)


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 3):start]
    return start == 0 or bool(re.search(r"(?:^|[.!?\n]\s*|\n)$", before))


def _duration_ok(text: str, start: int, end: int) -> bool:
    """A number and a unit are a duration unless they are a count of things ("five years of rule" is one;
    "three days" in "three days' notice" is one; "two weeks" in "two weeks ago" was taken already)."""
    words = text[start:end].lower().split()
    return bool(words) and words[0] not in ("several", "few") or len(words) > 2


def dates(articles: pd.DataFrame, *, docs: dict | None = None, text_col: str = "text") -> pd.DataFrame:
    """Every date expression in each article, with its calendar value (the dates table).

    Args:
        articles: the articles table (``article_id``, ``text`` and, to resolve relative dates, ``published``).
        docs: parses to reuse (``{article_id: Doc}``); the parse decides the tense around a weekday.

    Returns:
        A new DataFrame with ``DATE_COLUMNS``: the surface ``text`` and ``start``/``end`` offsets, ``value``
        (TIMEX3-style), ``type`` (DATE, DURATION, TIME, SET), ``relative`` (bool), ``anchor`` (what the value
        was counted from), the ``tense`` of the sentence, a ``note`` where the value is empty or partial,
        and the sentence around the expression.

    Example:
        >>> import pandas as pd
        >>> arts = pd.DataFrame({"article_id": ["a"], "published": [pd.Timestamp("2021-08-20")], "text": [
        ...     "Putin told Biden during a June 16 summit, two months ago, that the 2001 war was over. "
        ...     "Twenty years later, the talks resume on Monday."]})
        >>> dates(arts)[["text", "value", "type"]].values.tolist()
        [['June 16', '2021-06-16', 'DATE'], ['two months ago', '2021-06', 'DATE'], ['2001', '2001', 'DATE'], \
['Twenty years later', '2021', 'DATE'], ['Monday', '2021-08-23', 'DATE']]
    """
    _usable, pairs = parsed_articles(articles, docs, text_col=text_col)
    rows = []
    for article, doc in pairs:
        art_id = article["article_id"]
        text = doc.text
        pub = article.get("published")
        pub_date = pub.date() if isinstance(pub, pd.Timestamp) and not pd.isna(pub) else None
        sents = [(s.start_char, s.end_char) for s in doc.sents]
        last_year = None
        for start, end, kind in _find(text):
            surface = text[start:end]
            tense = _tense(doc, start) if kind in _TENSED else ""
            value, typ, relative, anchor, note = resolve(kind, surface, pub_date, tense=tense or "past",
                                                         last_year=last_year)
            if typ == "DATE" and re.match(r"^\d{4}", value):
                last_year = int(value[:4])
            sent = next(((s, e) for s, e in sents if s <= start < e), (start, end))
            rows.append({"article_id": art_id, "text": surface, "start": start, "end": end, "value": value,
                         "type": typ, "relative": relative, "anchor": anchor, "tense": tense, "note": note,
                         "sentence_start": sent[0], "sentence_end": sent[1]})
    return pd.DataFrame(rows, columns=DATE_COLUMNS)


def value_to_timestamp(value: str) -> tuple[pd.Timestamp | None, str]:
    """A TIMEX3 value to a point on a time axis and its granularity: the middle of the period it names
    (2021 -> mid-2021, 2021-07 -> mid-July, 2021-W28 -> that Thursday). None for durations, sets,
    PRESENT_REF and values with an unknown year.

    >>> value_to_timestamp("2021-06-16")
    (Timestamp('2021-06-16 00:00:00'), 'day')
    >>> value_to_timestamp("2021-W28")[0].date().isoformat()
    '2021-07-15'
    """
    if not value or value.startswith(("P", "XXXX", "PRESENT")):
        return None, ""
    v = value.split("T")[0]
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            return pd.Timestamp(v), "day"
        if re.fullmatch(r"\d{4}-W\d{2}(-WE)?", v):
            year, week = int(v[:4]), int(v[6:8])
            return pd.Timestamp(dt.date.fromisocalendar(year, week, 4)), "week"
        if re.fullmatch(r"\d{4}-\d{2}", v):
            return pd.Timestamp(f"{v}-15"), "month"
        if re.fullmatch(r"\d{4}-Q[1-4]", v):
            return pd.Timestamp(f"{v[:4]}-{3 * int(v[-1]) - 1:02d}-15"), "quarter"
        if re.fullmatch(r"\d{4}-(SP|SU|FA|WI|H1|H2)", v):
            month = {"SP": 4, "SU": 7, "FA": 10, "WI": 1, "H1": 4, "H2": 10}[v[5:]]
            return pd.Timestamp(f"{v[:4]}-{month:02d}-15"), "season"
        if re.fullmatch(r"\d{4}", v):
            return pd.Timestamp(f"{v}-07-01"), "year"
        if re.fullmatch(r"\d{3}", v):
            return pd.Timestamp(f"{v}5-01-01"), "decade"
    except ValueError:
        return None, ""
    return None, ""


def timeline_table(dated: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """The dated references of each outlet on one calendar: outlet, the words, the value, a point on the
    time axis (``when``) and its granularity, whether it was relative, and the sentence it comes from.
    Expressions that cannot be placed (durations, unknown years) are kept with ``when`` empty and a reason."""
    merged = dated.merge(articles[["article_id", by, "text", "published"]].rename(columns={"text": "body_text"}),
                         on="article_id", how="left")
    rows = []
    for r in merged.itertuples():
        when, grain = value_to_timestamp(r.value)
        reason = "" if when is not None else (r.note or ("a duration, not a date" if r.type == "DURATION" else
                                                          "the time of writing" if r.value == "PRESENT_REF" else
                                                          "not a point in time"))
        rows.append({by: getattr(r, by), "article_id": r.article_id, "text": r.text, "value": r.value,
                     "type": r.type, "when": when, "granularity": grain, "relative": r.relative,
                     "published": r.published, "why_not_placed": reason,
                     "sentence": (r.body_text[r.sentence_start:r.sentence_end].strip()
                                  if isinstance(r.body_text, str) else "")})
    return pd.DataFrame(rows, columns=[by, "article_id", "text", "value", "type", "when", "granularity", "relative",
                                       "published", "why_not_placed", "sentence"])
