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

import bisect
import datetime as dt
import re

import pandas as pd

from .doctools import _Intervals, _Taken
from .nlp import parsed_articles

__all__ = ["dates", "resolve", "describe", "choose_year", "timeline_table", "value_to_timestamp", "DATE_COLUMNS"]

DATE_COLUMNS = ["article_id", "text", "start", "end", "value", "display", "type", "relative", "anchor", "tense",
                "note", "sentence_start", "sentence_end"]

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
NUM = (r"(?:\d+(?:\.\d+)?|a\s+few|a\s+couple\s+of|a|an|"
       r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
       r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|hundred|several|few|"
       r"a couple of)")
NUM_WORDS = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:one|two|three|four|five|six|seven|"
             r"eight|nine)|" + NUM + r")")
UNIT = r"(?:hour|day|week|month|year|decade|century|minute)s?"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_UNITS_W = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEENS_W = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_TENS_W = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
#: a year read aloud, as broadcast transcripts write it: "nineteen ninety-six", "two thousand (and) one"
SPELLED_YEAR = (r"(?:nineteen[- ](?:" + _TENS_W + r"(?:[- ]" + _UNITS_W + r")?|" + _TEENS_W + r"|oh[- ]" + _UNITS_W +
                r")|two[- ]thousand(?:[- ](?:and[- ])?(?:" + _TEENS_W + r"|" + _UNITS_W + r"))?)")
YEARX = r"(?:" + YEAR + r"|" + SPELLED_YEAR + r")"
CLOCK = (r"(?:(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|(?:[01]?\d|2[0-3])\s+o['’]clock\b|"
         r"noon\b|midnight\b|midday\b)(?:\s+(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|local\s+time)\b)?")
_ORD = r"(?:first|second|third|fourth)"
#: words that make a bare month-day point forward whatever the verb's tense ("extended to Nov. 20",
#: "payable Dec. 15", "effective Feb. 1", "until mid-November")
_FORWARD_CUE = re.compile(r"\b(?:to|until|till|through|by|effective|payable|due|from|starting|beginning|expires?|"
                          r"of\s+record|deadline\s+of|no\s+later\s+than|before)\s+(?:(?:on|about|around|early|late|"
                          r"mid-?|the\s+(?:end|middle|beginning)\s+of)\s+)?$", re.I)
_PLURAL_UNITS = r"(?:minutes|hours|days|weeks|months|years|decades|centuries)"
#: the units of a vague span of time ("the past several quarters", "a few months"): the quarter is one
_VAGUE_UNITS = r"(?:minutes|hours|days|weeks|months|years|decades|centuries|quarters)"

# Order matters: longer, more specific patterns first; a later pattern never overlaps an earlier match.
_PATTERNS: list[tuple[str, re.Pattern]] = [(name, re.compile(rx, flags)) for name, rx, flags in [
    ("iso", r"\b" + YEAR + r"-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b", 0),
    # a day or a month that recurs (TIMEX3 SET): "every Monday", "each June", "on Mondays", "Tuesday nights"
    ("set_day", r"\b(?:(?:[Ee]very|[Ee]ach)\s+(?:" + WEEKDAY + r"(?:\s+(?:morning|afternoon|evening|night))?|" +
     MONTH + r")|" + WEEKDAY + r"s|" + WEEKDAY + r"\s+(?:mornings|afternoons|evenings|nights))(?!\w)(?!\s+\d)", 0),
    ("clock_date", r"\b(?:(?:around|about)\s+)?" + CLOCK + r",?\s+(?:on\s+)?(?P<core3>" +
     WEEKDAY + r"(?:,?\s+" + MONTH + r"\s+" + DAY + r")?|" + MONTH + r"\s+" + DAY + r"|" + DAY + r"\s+" + MONTH +
     r"|yesterday|today|tomorrow)\b", 0),
    ("part_deictic", r"\b(?:(?:early|late|mid)[- ]?)?(?:morning|afternoon|evening|night)\s+"
     r"(?:yesterday|today|tomorrow)\b"
     r"|\b(?:(?:later|earlier)\s+)?(?:this|last|yesterday|tomorrow)\s+(?:morning|afternoon|evening|night)\b", re.I),
    ("part_of_day_of", r"\b(?:the\s+)?(?:morning|afternoon|evening|night)\s+of\s+(?P<core2>" + DAY + r"\s+" + MONTH +
     r"|" + MONTH + r"\s+" + DAY + r"|" + WEEKDAY + r")\b", 0),
    ("weekday_part", r"\b(?:(?:late|early)\s+(?:on\s+)?)?" + WEEKDAY + r"\s+(?:morning|afternoon|evening|night)\b", 0),
    ("week_of", r"\bthe\s+week\s+of\s+(?:" + MONTH + r"\s+" + DAY + r"|" + DAY + r"\s+" + MONTH + r")(?:,?\s+" + YEAR +
     r")?\b", re.I),
    ("month_day_year", r"\b" + MONTH + r"\s+" + DAY + r",?\s+" + YEAR + r"\b", 0),
    ("day_month_year", r"\b" + DAY + r"\s+(?:of\s+)?" + MONTH + r",?\s+" + YEAR + r"\b", 0),
    ("weekday_month_day", r"\b" + WEEKDAY + r",?\s+" + MONTH + r"\s+" + DAY + r"\b(?!,?\s+" + YEAR + ")", 0),
    ("month_day", r"\b" + MONTH + r"\s+" + DAY + r"\b(?!,?\s+" + YEAR + r")(?![\d:])", 0),
    ("day_month", r"\b" + DAY + r"\s+(?:of\s+)?" + MONTH + r"\b(?!,?\s+" + YEAR + ")", 0),
    ("month_year", r"\b(?:(?:early|mid|late)[- ])?" + MONTH + r",?\s+(?:of\s+)?" + YEARX + r"\b", 0),
    ("month_rel_year", r"\b(?:(?:early|mid|late)[- ])?" + MONTH + r"\s+(?:of\s+)?(?:last|this|next)\s+year\b", 0),
    ("rel_year_quarter", r"\b(?:(?:this|last|next)\s+year['’]s|the\s+" + YEAR + r")\s+(?:fiscal[- ])?" + _ORD +
     r"[- ](?:fiscal[- ])?quarter\b|\b(?:the\s+)?" + _ORD + r"\s+quarter\s+of\s+(?:this|last|next)\s+year\b", re.I),
    ("half_year", r"\b(?:the\s+)?(?:(?:first|second|last|latter)\s+half|first\s+two\s+quarters|last\s+two\s+quarters)"
     r"\s+of\s+(?:" + YEAR + r"|(?:this|last|next)\s+year|the\s+year)\b", re.I),
    ("season_year", r"\b(?:the\s+)?(?:(?:early|late|mid-?)\s*)?(?:(?:spring|summer|autumn|fall|winter)|"
     r"(?:first|second)\s+half)\s+"
     r"(?:of\s+)?" + YEARX + r"\b", re.I),
    ("spelled_year", r"\b(?:the\s+year\s+)?" + SPELLED_YEAR +
     r"\b(?!\s+(?:people|troops|soldiers|dollars|times|miles))", 0),
    ("century", r"\b(?:the\s+)?(?:(?:early|mid|late)[- ])?(?:\d{1,2}(?:st|nd|rd|th)|(?:nineteenth|twentieth|"
     r"twenty-first))[- ]century\b", re.I),
    ("decade_word", r"\b(?:the\s+)?(?:(?:early|mid|late)[- ])?(?:['’]\d0s|(?:nineteen[- ])?"
     r"(?:twenties|thirties|forties|"
     r"fifties|sixties|seventies|eighties|nineties))\b", re.I),
    ("fiscal_year", r"\bfiscal(?:\s+year)?\s+" + YEAR + r"\b", re.I),
    ("year_period", r"\bthe\s+" + YEAR + r"\s+(?:period|quarter)\b", 0),
    ("fin_period", r"\b(?:(?:the|its|this|that|a|last\s+year['’]s|this\s+year['’]s)\s+)"
     r"(?:(?:latest|most\s+recent|recent|"
     r"current|comparable|corresponding|same|previous|prior|year[- ]ago|year[- ]earlier|fiscal|flat|just[- ]ended|"
     r"seasonally\s+(?:slow|strong|weak)|strong|weak)[- ]+)*(?:" + _ORD + r"[- ](?:fiscal[- ])?)?(?:quarter|period)\b"
     r"(?:\s+(?:a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year))?(?!\s+(?:of\s+)?(?:fiscal\s+)?(?:1[5-9]|20)\d\d)",
     re.I),
    ("year_adj", r"\b[Yy]ear-(?:ago|earlier)\b", 0),
    ("decade", r"\b(?:the\s+)?(?:(?:early|mid|late)[- ])?" + r"(?:1[5-9]\d0|20\d0)['’]?s\b", 0),
    ("mid_year", r"\b(?:early|mid|late)-" + YEAR + r"\b", re.I),
    ("quarter", r"\b(?:Q[1-4]|the\s+(?:first|second|third|fourth)\s+quarter)(?:\s+(?:of\s+)?" + YEAR + r")?\b", 0),
    ("ago", r"\b(?:(?:about|around|nearly|almost|some|roughly|just|more than|less than|over)\s+)?" + NUM_WORDS +
     r"\s+" + UNIT + r"(?:\s+or\s+so)?\s+ago\b", re.I),
    ("later", r"\b" + NUM_WORDS + r"\s+" + UNIT + r"\s+(?:later|earlier|on\b(?=\s*[,.;])|after\b(?=\s*[,.;])|"
     r"before\b(?=\s*[,.;]))", re.I),
    ("that_day", r"\b(?:(?:later|earlier)\s+)?(?:that|the\s+same|the\s+following|the\s+next|the\s+previous|"
     r"the\s+preceding)\s+(?:day|morning|afternoon|evening|night)\b(?!\s+of\b)", re.I),
    ("that_unit", r"\b(?:(?:later|earlier)\s+)?(?:that|the\s+same|the\s+following|the\s+previous)\s+"
     r"(?:year|month)\b", re.I),
    ("month_rel", r"\b(?:[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast|[Cc]oming)\s+" + MONTH + r"\b", 0),
    ("year_word", r"\b(?:(?:earlier|later)\s+in\s+the\s+year|the\s+(?:end|beginning|start|middle|rest|remainder|"
     r"balance)\s+of\s+the\s+year|(?:around\s+)?year[- ]end|year['’]s\s+end|the\s+(?:(?:full|current|calendar|"
     r"whole|entire|latest)\s+)?(?:fiscal[- ])?year)\b(?![- ](?:ago|earlier|old|long|round)|\s+(?:\d|two\b|nineteen\b|"
     r"before|after|ago|earlier))(?P<ended>\s+(?:ended|ending)\b)?", re.I),
    ("week_word", r"\bthe\s+week(?:end)?\b(?!\s+(?:of|before|after|ending|ended|earlier|later|that|when))", re.I),
    ("recent_units", r"\b(?:recent|past|previous)\s+(?:days|weeks|months|years|decades|quarters)"
     r"(?:\s+and\s+(?:days|weeks|months|years))?\b", re.I),
    ("coming_units", r"\b(?:coming|future)\s+(?:days|weeks|months|years|decades|quarters)\b"
     r"|\bthe\s+(?:days|weeks|months|years)\s+ahead\b", re.I),
    ("past_ref", r"\b(?:recently|lately|then[- ]current|(?:in\s+)?the\s+past(?!\s+(?:\d|[a-z]+\s+(?:"
     r"days|weeks|months|years|decades|quarters|hours|summers|winters)|few|several|week|month|year|decade|century|day|"
     r"hour|quarter|summer|winter|spring|fall|autumn|weekend|couple|\w+-))|recent)\b", re.I),
    ("future_ref", r"\b(?:the\s+(?:near\s+|distant\s+|foreseeable\s+|immediate\s+)?future|as\s+soon\s+as\s+"
     r"possible|a\s+later\s+date|the\s+(?:near|short)[- ]term|some\s?day|(?<=will\s)one\s+day|(?<=would\s)one\s+day|"
     r"(?<=could\s)one\s+day|(?<=might\s)one\s+day|(?<!as\s)soon(?!\s+(?:after|as)))\b(?!\s+of\b)", re.I),
    ("present_ref", r"\b(?:these\s+days|at\s+this\s+(?:\w+\s+)?moment|the\s+present|presently|"
     r"(?<!then\s)(?<!then-)current(?!ly|s\b|\s+account))"
     r"\b", re.I),
    ("vague_duration", r"\b(?:(?:the\s+(?:past|last|next|coming|previous|first|final)\s+)?(?:a\s+few|several|some|many|"
     r"few|a\s+couple\s+of)\s+(?:more\s+)?" + _VAGUE_UNITS + r"|the\s+(?:past|last|next|first|early|final)\s+" +
     _VAGUE_UNITS + r"|the\s+years)\b(?!\s+(?:ago|later|earlier|before|after|old))", re.I),
    ("bare_units", r"\b(?:for|within|in|over|after|from)\s+(?P<core4>" + _PLURAL_UNITS + r"(?:\s+or\s+" +
     _PLURAL_UNITS +
     r")?)\b(?!\s+(?:ago|old|of\s+(?:age|experience)))", re.I),
    ("while", r"\b(?:for|in)\s+(?P<core5>some\s+time|a\s+(?:long\s+|short\s+)?while|a\s+long\s+time|"
     r"a\s+(?:\w+\s+)?(?:lengthy|long|short)\s+period(?:\s+of\s+time)?)\b", re.I),
    ("past_week", r"\bthe\s+(?:past|last)\s+week\b(?!s|end)", re.I),
    ("rel_unit", r"\b(?:(?:earlier|later)\s+this|last|next|this|past|coming|previous|following)\s+"
     r"(?:week(?:end)?|month|year|quarter|decade|century)\b", re.I),
    ("day_before", r"\b(?:the\s+)?day\s+(?:before|after)\s+(?:(?:last|next|this)\s+)?" + WEEKDAY + r"\b", 0),
    ("prev_weekday", r"\bthe\s+(?:previous|preceding)\s+" + WEEKDAY + r"\b", re.I),
    ("holiday", r"\b(?:Election\s+Day|Thanksgiving(?:\s+Day)?|Christmas\s+(?:Day|Eve)"
                r"|New\s+Year['’]s\s+(?:Day|Eve)|Good\s+Friday|Palm\s+Sunday|Holy\s+Week|"
                r"Easter(?:\s+(?:Sunday|Monday|[Ww]eek(?:end)?))?(?!\s+(?:Island|[Ee]ggs?|Rising|[Bb]unny|"
                r"[Pp]arade|[Ss]eals?)))\b", 0),
    ("rel_weekday", r"\b(?:last|next|this|past|coming)\s+" + WEEKDAY + r"\b", re.I),
    ("deictic", r"\b(?:yesterday|today|tomorrow|tonight)\b", re.I),
    ("season", r"\b(?:the|this(?:\s+past)?|last|next|past|coming)\s+(?:(?:early|late)\s+)?(?:spring|summer|autumn|fall|"
     r"winter)\b", re.I),
    ("quarter_adj", r"\b(?:first|second|third|fourth)-quarter\b", re.I),
    ("clock_word", r"\b(?:midday|noon|midnight)\b", re.I),
    ("fortnight", r"\b(?:a|one|two|three)\s+fortnights?\b", re.I),
    ("now", r"\b(?:now|currently|at present|nowadays|at the moment)\b", re.I),
    ("weekday", r"\b" + WEEKDAY + r"\b", 0),
    ("month_alone", r"\b(?:[Ii]n|of|since|until|by|from|at|during|before|after|through|to|for|[Tt]he|a|an|[Ee]arly|"
     r"[Ll]ate)\s+(?P<core>(?:the\s+(?:end|beginning|start|middle)\s+of\s+|early\s+|late\s+|mid-?)?" + MONTH +
     r")\b(?!\s+\d)|\b(?P<core6>(?:[Ee]arly\s+|[Ll]ate\s+|[Mm]id-)?(?:January|February|April|June|July|August|September|"
     r"October|November|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.))(?!\s+\d)(?![\w-])", 0),
    # "the past two quarters", "for three quarters", "three straight quarters": a span of quarters (TIMEX3 P2Q); a
    # bare "three quarters" is as often a fraction ("three quarters of the vote", "or three quarters, said no")
    ("quarters", r"\b(?:the\s+(?:past|last|next|first|final)\s+" + NUM_WORDS + r"\s+(?:(?:straight|consecutive|"
     r"successive|full)\s+)?quarters|(?:for|over|in|within|during)\s+(?P<core7>" + NUM_WORDS + r"\s+(?:(?:straight|"
     r"consecutive|successive|full)\s+)?quarters)|" + NUM_WORDS + r"\s+(?:straight|consecutive|successive)\s+"
     r"quarters)\b(?!\s+(?:of|ago|later|earlier)\b)", re.I),
    ("duration_compound", r"\b" + NUM_WORDS + r"-(?:hour|day|week|month|year|decade|century)(?:-old|-long)?\b", re.I),
    ("duration", r"\b(?:the\s+(?:past|last|next)\s+)?" + NUM_WORDS + r"\s+(?:(?:long|full|straight|consecutive|short|"
     r"whole|more|additional|hard|further)\s+)?" + UNIT + r"\b(?!\s+(?:ago|later|earlier))", re.I),
    ("clock", r"\b(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)"
     r"|\b(?:[01]?\d|2[0-3])\s+o['’]clock\b", 0),
    ("year", r"(?<![\d,.$£€-])\b" + YEAR + r"\b(?![\d%-]|[,.]\d|\s+(?:troops|people|soldiers|homes|votes|tonnes|km|"
     r"miles|feet|metres|meters|dollars|euros)\b)", 0),
    ("set", r"\b(?:every|each)\s+(?:" + MONTH + r"|" + WEEKDAY + r"|day|week|month|quarter|year|summer|winter)\b"
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



_SPELLED = {"oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
            "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
            "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def _spelled_year(text: str) -> int | None:
    """ "nineteen ninety-six" -> 1996, "two thousand and one" -> 2001, "the year two thousand" -> 2000."""
    words = [w for w in re.split(r"[- ]+", text.lower()) if w not in ("the", "year", "and", "hundred")]
    if words[:2] == ["two", "thousand"]:
        return 2000 + sum(_SPELLED.get(w, 0) for w in words[2:])
    if words and words[0] == "nineteen":
        return 1900 + sum(_SPELLED.get(w, 0) for w in words[1:])
    return None


def _year_in(text: str) -> int | None:
    m = re.search(YEAR, text)
    if m:
        return int(m.group(0))
    m = re.search(SPELLED_YEAR, text, re.I)
    return _spelled_year(m.group(0)) if m else None


def _month_end(year: int, month: int) -> dt.date:
    y, m = _shift_month(year, month, 1)
    return dt.date(y, m, 1) - dt.timedelta(days=1)


def choose_year(published: dt.date, month: int, day: int | None = None, tense: str = "past",
                weekday: int | None = None) -> int | None:
    """The year of a month (and day) written without one, seen from the publication date.

    A past-tense sentence takes the latest one that began on or before publication ("last spoke on
    December 2", written in August: the December before); a future-tense one the earliest that has not
    ended before publication ("will meet in March", written in December: next March); a present tense, or
    a forward-looking cue ("by April 2", "extended to Nov. 20", "payable Dec. 15"), the nearest one. A
    weekday written beside the date ("Saturday, April 25") picks the year in which that day is that weekday.

    >>> choose_year(dt.date(2019, 3, 20), 4, 2, "present"), choose_year(dt.date(2019, 1, 10), 3, None, "past")
    (2019, 2018)
    >>> choose_year(dt.date(2018, 12, 5), 3, None, "future")
    2019
    """
    cands = []
    for y in (published.year - 1, published.year, published.year + 1):
        try:
            first = dt.date(y, month, day or 1)
        except ValueError:
            continue
        cands.append((y, first, first if day else _month_end(y, month)))
    if not cands:
        return None

    def distance(c):
        if c[1] <= published <= c[2]:
            return 0
        return min(abs((c[1] - published).days), abs((c[2] - published).days))

    if weekday is not None and day:
        same = [c for c in cands if c[1].weekday() == weekday]
        if same:
            return min(same, key=distance)[0]
    # The tense read off the parse is a guess: a past-tense sentence rarely recalls a day of the coming
    # month a year back ("was set for Jan. 14", written on 5 January, is this January), nor a future-tense
    # one a day of the week just gone.
    if tense == "past":
        ok = [c for c in cands if c[1] <= published or (c[1] - published).days <= 31]
        return max(ok)[0] if ok else min(cands, key=distance)[0]
    if tense == "future":
        ok = [c for c in cands if c[2] >= published or (published - c[2]).days <= 14]
        return min(ok)[0] if ok else min(cands, key=distance)[0]
    if day is None:  # a month in the present tense: the nearest, a past one before a future one as far away
        return min(cands, key=lambda c: distance(c) * (2 if c[1] > published else 1))[0]
    return min(cands, key=distance)[0]


def _quarter_year(published: dt.date, n: int, tense: str) -> int:
    """The year of "the third quarter" written without one: the latest one begun by publication, or in a
    future-tense sentence the next one not yet over."""
    start, end = dt.date(published.year, 3 * n - 2, 1), _month_end(published.year, 3 * n)
    if tense == "future":  # "expects to report third-quarter results", written in October: the one just ended
        return published.year if start > published or (published - end).days < 183 else published.year + 1
    if tense == "present" and start > published:  # "the vote is in the third quarter": the nearer one
        return published.year if (start - published).days < (published - _month_end(published.year - 1, 3 * n)).days \
            else published.year - 1
    return published.year if start <= published else published.year - 1


def _last_completed_quarter(published: dt.date) -> tuple[int, int]:
    q = (published.month - 1) // 3  # the quarter before the current one, 0 = the fourth of last year
    return (published.year, q) if q else (published.year - 1, 4)


def _weekend(published: dt.date, tense: str) -> str:
    """The weekend nearest publication: the one before it (or under way) in the past tense, else the next."""
    sat = published - dt.timedelta(days=(published.weekday() - 5) % 7)
    if tense == "future" and published.weekday() < 5:
        sat = sat + dt.timedelta(days=7)
    return _iso_week(sat) + "-WE"


def _easter(year: int) -> dt.date:
    """Easter Sunday of a year (Gregorian calendar; the anonymous "Meeus/Jones/Butcher" computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * ell) // 433
    month = (h + ell - 7 * m + 90) // 25
    return dt.date(year, month, (h + ell - 7 * m + 33 * month + 19) % 32)


#: days counted from Easter Sunday, and the named weeks around it (the ISO week that ends on Easter Sunday)
_EASTER_DAYS = {"good friday": -2, "palm sunday": -7, "easter monday": 1, "easter": 0, "easter sunday": 0}
_EASTER_WEEKS = {"holy week": 0, "easter week": 0, "easter weekend": 0}


def _holiday_in(name: str, year: int) -> dt.date:
    if name in _EASTER_DAYS:
        return _easter(year) + dt.timedelta(days=_EASTER_DAYS[name])
    if name in _EASTER_WEEKS:  # the Monday that begins the week of Easter Sunday
        return _easter(year) - dt.timedelta(days=6)
    if name.startswith("election"):  # the Tuesday after the first Monday in November
        first = dt.date(year, 11, 1)
        return first + dt.timedelta(days=(0 - first.weekday()) % 7 + 1)
    if name.startswith("thanksgiving"):  # (US) the fourth Thursday of November
        first = dt.date(year, 11, 1)
        return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
    if name.startswith("christmas"):
        return dt.date(year, 12, 24 if name.endswith("eve") else 25)
    return dt.date(year, 12, 31) if name.endswith("eve") else dt.date(year, 1, 1)


def _holiday(name: str, published: dt.date, tense: str) -> str:
    """A named day of the calendar (Election Day, Thanksgiving, Christmas Day, New Year's Eve): the next one
    in a future or present sentence, the last one in a past one."""
    name = re.sub(r"\s+", " ", name.lower())
    days = [_holiday_in(name, y) for y in (published.year - 1, published.year, published.year + 1)]
    if name in _EASTER_WEEKS:  # a week: the one begun by publication (past), else the one not yet over
        if tense == "past":
            monday = max(d for d in days if d <= published)
        else:
            monday = min(d for d in days if d + dt.timedelta(days=6) >= published)
        return _iso_week(monday) + ("-WE" if name.endswith("weekend") else "")
    if tense == "past":
        return max(d for d in days if d <= published).isoformat()
    return min(d for d in days if d >= published).isoformat()


def _vague_duration(unit_word: str) -> str:
    unit = unit_word.lower().rstrip("s")
    unit = {"centurie": "century"}.get(unit, unit)
    if unit in ("hour", "minute"):
        return "PTX" + ("H" if unit == "hour" else "M")
    return "PX" + {"decade": "E", "century": "C", "quarter": "Q"}.get(unit, _UNIT.get(unit, "X"))


def _resolve_more(kind: str, s: str, published: dt.date | None, tense: str, last_year: int | None,
                  last_quarter: tuple[int, int] | None):
    """The kinds added for real news: quarters and fiscal periods, spelled-out years, centuries, decades,
    times on a day, the vague references (PRESENT_REF, PAST_REF, FUTURE_REF) and vague durations."""
    low = s.lower()
    unknown = "publication date unknown"

    def rel(value, typ="DATE"):
        if published is None:
            return "", typ, True, "publication", unknown
        return value() if callable(value) else value, typ, True, "publication", ""

    if kind == "set_day":  # "every Monday" XXXX-WXX-1, "Tuesday nights" XXXX-WXX-2TNI, "each June" XXXX-06
        wd = re.search(WEEKDAY, s)
        if wd is None:
            month = _month(re.findall(r"[A-Za-z]+\.?", s)[-1])
            return f"XXXX-{month:02d}", "SET", False, "", ""
        part = next((v for k, v in _PARTS.items() if k in low), "")
        return f"XXXX-WXX-{_WEEKDAYS[wd.group(0).lower()] + 1}" + ("T" + part if part else ""), "SET", False, "", ""
    if kind == "spelled_year":
        return str(_spelled_year(low)), "DATE", False, "", ""
    if kind == "century":
        m = re.search(r"(\d{1,2})(?:st|nd|rd|th)", low)
        n = int(m.group(1)) if m else {"nineteenth": 19, "twentieth": 20, "twenty-first": 21}[
            re.search(r"nineteenth|twentieth|twenty-first", low).group(0)]
        return f"{n - 1:02d}", "DATE", False, "", ""
    if kind == "decade_word":
        m = re.search(r"['’](\d)0s", low)
        if m:
            x = int(m.group(1))
            cent = 20 if published is not None and x <= 2 and 2000 + 10 * x <= published.year else 19
            return f"{cent}{x}", "DATE", False, "", ""
        word = re.search(r"twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties", low).group(0)
        return "19" + str(_SPELLED[word[:-3] + "y"] // 10), "DATE", False, "", ""
    if kind == "fiscal_year":
        return re.search(YEAR, s).group(0), "DATE", False, "", ""
    if kind == "year_period":
        year = re.search(YEAR, s).group(0)
        if "quarter" in low or last_quarter:
            q = last_quarter[1] if last_quarter else None
            return (f"{year}-Q{q}" if q else year), "DATE", False, "", ""
        return year, "DATE", False, "", ""
    if kind == "month_rel_year":
        month = next(_month(w) for w in re.findall(r"[A-Za-z]+\.?", s) if _month(w))
        delta = -1 if "last" in low else (1 if "next" in low else 0)
        return rel(lambda: f"{published.year + delta:04d}-{month:02d}")
    if kind == "month_rel":
        month = _month(re.findall(r"[A-Za-z]+\.?", s)[-1])
        word = low.split()[0]
        if published is None:
            return "", "DATE", True, "publication", unknown
        if word in ("last", "past"):
            # the most recent one before this month, but not the month just gone (that one is "last month"):
            # "last February", written in March, is a year back
            year = published.year if month < published.month - 1 else published.year - 1
        elif word in ("next", "coming"):
            year = published.year if month > published.month else published.year + 1
        else:
            year = published.year
        return f"{year:04d}-{month:02d}", "DATE", True, "publication", ""
    if kind == "rel_year_quarter":
        n = ["first", "second", "third", "fourth"].index(re.search(_ORD, low).group(0)) + 1
        year = _year_in(s)
        if year is not None:
            return f"{year}-Q{n}", "DATE", False, "", ""
        delta = -1 if "last" in low else (1 if "next" in low else 0)
        return rel(lambda: f"{published.year + delta}-Q{n}")
    if kind == "half_year":
        h = 1 if re.search(r"first", low) else 2
        year = _year_in(s)
        if year is not None:
            return f"{year}-H{h}", "DATE", False, "", ""
        delta = -1 if "last year" in low else (1 if "next year" in low else 0)
        return rel(lambda: f"{published.year + delta}-H{h}")
    if kind == "fin_period":
        if published is None and not last_quarter:
            return "", "DATE", True, "publication", unknown
        m = re.search(_ORD, low)
        year_ago = bool(re.search(r"year[- ](?:ago|earlier)|last\s+year", low))
        if "current" in low and published is not None and not m:
            return f"{published.year}-Q{(published.month - 1) // 3 + 1}", "DATE", True, "publication", ""
        if m:
            n = ["first", "second", "third", "fourth"].index(m.group(0)) + 1
            if published is None:
                return "", "DATE", True, "publication", unknown
            year = _quarter_year(published, n, tense)
            if "this year" in low:
                year = published.year
            return f"{year - (1 if year_ago else 0)}-Q{n}", "DATE", True, "publication", ""
        year, n = last_quarter if last_quarter else _last_completed_quarter(published)
        if re.search(r"\b(?:previous|prior)\b", low):
            year, n = (year, n - 1) if n > 1 else (year - 1, 4)
        return f"{year - (1 if year_ago else 0)}-Q{n}", "DATE", True, \
            ("another date in the text" if last_quarter else "publication"), ""
    if kind == "year_adj":
        if last_quarter:
            return f"{last_quarter[0] - 1}-Q{last_quarter[1]}", "DATE", True, "another date in the text", ""
        return rel(lambda: f"{published.year - 1}")
    if kind == "year_word":
        if re.search(r"\b(?:ended|ending)$", low):
            return "P1Y", "DURATION", False, "", ""
        return rel(lambda: f"{published.year}")
    if kind == "day_before":  # "the day before last Tuesday's hearing": that day, one day back
        core = re.sub(r"^(?:the\s+)?day\s+(?:before|after)\s+", "", s, flags=re.I)
        inner = "rel_weekday" if " " in core else "weekday"
        value, _, relative, anchor, note = resolve(inner, core, published, tense=tense)
        if not value:
            return value, "DATE", relative, anchor, note
        shift = -1 if re.search(r"\bbefore\b", low) else 1
        return (dt.date.fromisoformat(value) + dt.timedelta(days=shift)).isoformat(), "DATE", relative, anchor, note
    if kind == "prev_weekday":  # "down from the previous Friday": the one before the last such day
        target = _WEEKDAYS[re.search(WEEKDAY, s).group(0).lower()]
        return rel(lambda: (published - dt.timedelta(days=((published.weekday() - target) % 7 or 7) + 7)).isoformat())
    if kind == "holiday":
        if published is None:
            return "", "DATE", True, "publication", unknown
        return _holiday(low, published, tense), "DATE", True, "publication", ""
    if kind == "past_week":  # "has been there for the past week": the week of writing (TimeML)
        return rel(lambda: _iso_week(published))
    if kind == "week_of":  # "a hearing the week of March 6": that day's week
        core = re.sub(r"^the\s+week\s+of\s+", "", s, flags=re.I)
        inner = ("day_month_year" if core[:1].isdigit() else "month_day_year") if re.search(YEAR, core) else (
            "day_month" if core[:1].isdigit() else "month_day")
        value, _, relative, anchor, note = resolve(inner, core, published, tense=tense, last_year=last_year)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return "", "DATE", relative, anchor, note or "not a calendar date"
        return _iso_week(dt.date.fromisoformat(value)), "DATE", relative, anchor, note
    if kind == "week_word":
        if "weekend" in low:
            return rel(lambda: _weekend(published, tense))
        return rel(lambda: _iso_week(published))
    if kind in ("recent_units", "past_ref"):
        return "PAST_REF", "DATE", True, "publication", ""
    if kind in ("coming_units", "future_ref"):
        return "FUTURE_REF", "DATE", True, "publication", ""
    if kind == "present_ref":
        return "PRESENT_REF", "DATE", True, "publication", ""
    if kind in ("vague_duration", "bare_units"):
        if low == "the years":
            return "PXY", "DURATION", False, "", ""
        return _vague_duration(re.findall(_VAGUE_UNITS, low)[0]), "DURATION", False, "", ""
    if kind == "quarters":
        n = _num(re.search(NUM_WORDS + r"(?=\s)", low).group(0))
        if n is None:
            return "PXQ", "DURATION", False, "", "vague amount"
        return f"P{int(n) if float(n).is_integer() else n}Q", "DURATION", False, "", ""
    if kind == "while":
        return "PXX", "DURATION", False, "", ""
    if kind == "part_deictic":
        part = next(v for k, v in _PARTS.items() if k in low)
        offset = -1 if ("yesterday" in low or "last night" in low) else (1 if "tomorrow" in low else 0)
        return rel(lambda: (published + dt.timedelta(days=offset)).isoformat() + "T" + part, "TIME")
    if kind == "clock_date":
        m = re.search(r"(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|(?:[01]?\d|2[0-3])\s+o['’]clock|"
                      r"noon|midnight|midday", s, re.I)
        clock = m.group(0)
        hhmm = (resolve("clock", clock, published)[0] if clock[0].isdigit() else
                {"noon": "T12:00", "midday": "T12:00", "midnight": "T24:00"}[clock.lower()])
        rest = s[m.end():]
        core = re.search(WEEKDAY + r"(?:,?\s+" + MONTH + r"\s+" + DAY + r")?|" + MONTH + r"\s+" + DAY + r"|" + DAY +
                         r"\s+" + MONTH + r"|yesterday|today|tomorrow", rest, re.I).group(0)
        ck = core.lower()
        inner = ("deictic" if ck in ("yesterday", "today", "tomorrow") else
                 "weekday_month_day" if re.match(WEEKDAY + r",?\s+" + MONTH, core) else
                 "weekday" if re.fullmatch(WEEKDAY, core) else "day_month" if core[:1].isdigit() else "month_day")
        value, _, relative, anchor, note = resolve(inner, core, published, tense=tense, last_year=last_year)
        return (value + hhmm if value else ""), "TIME", relative, anchor, note
    return None


def resolve(kind: str, surface: str, published: dt.date | None, *, tense: str = "past",
            last_year: int | None = None, last_quarter: tuple[int, int] | None = None,
            last_month: tuple[int, int] | None = None,
            last_day: dt.date | None = None) -> tuple[str, str, bool, str, str]:
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
    more = _resolve_more(kind, s, published, tense, last_year, last_quarter)
    if more is not None:
        return more
    if kind == "iso":
        return s, "DATE", False, "", ""
    if kind in ("month_day_year", "day_month_year"):
        month = next(_month(w) for w in re.findall(r"[A-Za-z]+\.?", s) if _month(w))
        day = int(re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)", s).group(1))
        year = int(re.search(YEAR, s).group(0))
        return f"{year:04d}-{month:02d}-{day:02d}", "DATE", False, "", ""
    if kind == "month_year":
        month = next(_month(w) for w in re.findall(r"[A-Za-z]+\.?", s) if _month(w))
        year = _year_in(s)
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
        return f"{_quarter_year(published, n, tense)}-Q{n}", "DATE", True, "publication", ""
    if kind in ("month_day", "day_month", "weekday_month_day"):
        month = next(_month(w) for w in re.findall(r"[A-Za-z]+\.?", s) if _month(w))
        day = int(re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", s).group(1))
        if published is None:
            return f"XXXX-{month:02d}-{day:02d}", "DATE", True, "publication", "year unknown: " + unknown
        wd = re.search(WEEKDAY, s)
        year = choose_year(published, month, day, tense, _WEEKDAYS[wd.group(0).lower()] if wd else None)
        if year is None:
            return "", "DATE", True, "publication", "not a calendar date"
        return f"{year:04d}-{month:02d}-{day:02d}", "DATE", True, "publication", ""
    if kind == "month_alone":
        month = _month(re.findall(r"[A-Za-z]+", s)[-1])
        if published is None:
            return f"XXXX-{month:02d}", "DATE", True, "publication", "year unknown: " + unknown
        year = choose_year(published, month, None, tense)
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
        year = str(_year_in(s))
        if "half" in low:
            return f"{year}-H{1 if 'first' in low else 2}", "DATE", False, "", ""
        season = next(v for k, v in _SEASONS.items() if k in low)
        return f"{year}-{season}", "DATE", False, "", ""
    if kind == "that_day":  # "earlier that day", "the next morning": counted from the last day the text named
        if last_day is None:
            return "", "DATE", True, "another date in the text", "no earlier day in the text to count from"
        shift = 1 if re.search(r"\b(?:following|next)\b", low) else (-1 if re.search(r"\b(?:previous|preceding)\b",
                                                                                        low) else 0)
        day = (last_day + dt.timedelta(days=shift)).isoformat()
        part = next((v for k, v in _PARTS.items() if low.endswith(k)), "")
        value, typ = (day + "T" + part, "TIME") if part else (day, "DATE")
        return value, typ, True, "another date in the text", ""
    if kind == "that_unit" and low.endswith("month"):
        if last_month is None:
            return "", "DATE", True, "another date in the text", "no earlier month in the text to count from"
        shift = 1 if "following" in low else (-1 if "previous" in low else 0)
        y, m = _shift_month(last_month[0], last_month[1], shift)
        return f"{y:04d}-{m:02d}", "DATE", True, "another date in the text", ""
    if kind == "that_unit":
        if last_year is None:
            return "", "DATE", True, "another date in the text", "no earlier date in the text to count from"
        shift = 1 if "following" in low else (-1 if "previous" in low else 0)
        return f"{last_year + shift:04d}", "DATE", True, "another date in the text", ""
    if kind == "season":
        season = next(v for k, v in _SEASONS.items() if k in low)
        if published is None:
            return "", "DATE", True, "publication", unknown
        start_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[season]
        word = low.split()[0]
        if word in ("last", "past") or low.startswith("this past"):
            # the most recent one over before publication: "last summer", written in October, is this year's
            year = published.year if start_month + 3 <= published.month else published.year - 1
        elif word in ("next", "coming"):
            year = published.year if start_month > published.month else published.year + 1
        else:
            year = published.year
            if word == "the" and tense == "past" and start_month > published.month:
                year -= 1  # "since the autumn", written in March: last autumn
            elif word == "the" and tense == "future" and start_month + 2 < published.month:
                year += 1  # "will start in the spring", written in November: next spring
        return f"{year:04d}-{season}", "DATE", True, "publication", ""
    if kind == "quarter_adj":
        n = ["first", "second", "third", "fourth"].index(low.split("-")[0]) + 1
        if published is None:
            return "", "DATE", True, "publication", unknown
        return f"{_quarter_year(published, n, tense)}-Q{n}", "DATE", True, "publication", ""
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
                     + UNIT + r")(?:\s+or\s+so)?\s+ago", low)
        n, unit = _num(m.group(1)), m.group(2).rstrip("s")
        if published is None:
            return "", "DATE", True, "publication", unknown
        if n is None:
            return "PAST_REF", "DATE", True, "publication", "vague amount"
        n_int = int(n * _UNIT_MUL.get(unit, 1))
        if unit == "year" and n_int == 1 and last_quarter:  # "up from $10 million a year ago": that quarter
            return f"{last_quarter[0] - 1}-Q{last_quarter[1]}", "DATE", True, "another date in the text", ""
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
        if unit == "year" and n == 1 and sign < 0 and last_quarter:  # "net was $2 million a year earlier"
            return f"{last_quarter[0] - 1}-Q{last_quarter[1]}", "DATE", True, "another date in the text", ""
        if unit == "year" and n == 1 and sign < 0 and published is not None and last_year is None:
            return f"{published.year - 1:04d}", "DATE", True, "publication", ""
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
            return _vague_duration(m.group(2)), "DURATION", False, "", "vague amount"
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
    if kind == "model":  # a date the language model found and no pattern reads
        return _resolve_model(s, published, tense)
    return "", "DATE", False, "", "not understood"


# =========================================================================== finding expressions


def _tense(doc, start: int, weekday: bool = False) -> str:
    """past / present / future of the clause a date sits in: the verb it hangs from, its auxiliaries.
    ``weekday``: the date is a bare day of the week (see the infinitives below)."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or not len(span):
        return "past"
    tok = span[0]
    before = doc[max(0, tok.i - 2):tok.i]
    if tok.dep_ in ("compound", "nmod", "npadvmod", "amod") and tok.head.i == tok.i + 1 and \
            tok.head.lower_ in _DAY_PARTS:
        # "on Thursday morning": the expression is the part of the day, a noun of its own; the weekday before it
        # names no event, so the clause the phrase sits in decides (unlike "Wednesday's ruling")
        tok = tok.head
    if any(t.lower_ == "since" for t in before):
        return "past"  # "since the autumn", "since Monday": whatever the verb's tense
    if tok.dep_ in ("poss", "compound", "nmod", "amod") and tok.head.pos_ in ("NOUN", "PROPN"):
        # a date naming an event ("Wednesday's ruling", "a June agreement"): the sentence's main verb decides,
        # not a verb the noun phrase happens to sit under ("ways to get around Wednesday's ruling")
        tok = tok.sent.root
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
            if weekday and tok.dep_ in ("advcl", "acl", "relcl", "csubj") and tok.head.i != tok.i:
                # a bare weekday is the day news happened: under a purpose or a noun's infinitive ("staged
                # celebrations to mark the entry on Friday", "offers to acquire the company Friday") the clause
                # it depends on decides ("subpoenaed him to testify on Feb. 10" still looks ahead)
                head = tok.head
                while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
                    head = head.head
                if head.pos_ in ("VERB", "AUX") and head.tag_ != "VB":
                    tok = head
                    continue
            if _pluperfect_above(tok):
                return "past"  # "had been due to expire Friday", "had planned to vote on Tuesday": a past plan
            return "future"  # "ordered him to report by Nov. 1", "expected to halt services until 23 March"
        if tok.tag_ in ("VB", "VBG") and not any(c.dep_ in ("aux", "auxpass") for c in tok.children) and \
                tok.dep_ in ("conj", "xcomp", "advcl") and tok.head.pos_ in ("VERB", "AUX"):
            tok = tok.head
            continue
        if tok.tag_ == "VBG" and tok.dep_ in ("pobj", "pcomp") and not any(
                c.dep_ in ("aux", "auxpass") for c in tok.children):
            head = tok.head  # "can take part in planning for the summit in April": the verb above the gerund
            while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
                head = head.head
            if head.pos_ in ("VERB", "AUX"):
                tok = head
                continue
        break
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")] + ([tok] if tok.pos_ == "AUX" else [])
    if any(a.lower_ == "to" for a in auxes):
        return "future"  # "to be completed around Nov. 1", "to be published in early November"
    if any(a.lower_ in ("had", "'d") and a.tag_ == "VBD" for a in auxes):
        return "past"  # "had been due to expire Friday"
    if any(a.lower_ in ("will", "shall", "'ll", "’ll", "would") for a in auxes):
        return "future"  # "would" in reported speech is the future seen from the past
    if any(a.lower_ in ("may", "might", "can", "must", "should") for a in auxes):
        # "can take part in the summit in April", "might come as soon as Tuesday": not yet happened, unless
        # "may have met on Tuesday"
        return "past" if any(a.lower_ in ("have", "'ve") for a in auxes) else "future"
    if tok.lemma_ in ("plan", "schedule", "slate", "intend") and tok.tag_ == "VBD" and start > tok.idx:
        return "present"  # "protesters planned a rally on Saturday": planned then, held on the nearest one
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


#: the parts of a day a weekday or a date can come before ("Thursday morning", "Friday night")
_DAY_PARTS = frozenset(_PARTS) | {"nights", "mornings", "evenings", "afternoons"}


def _pluperfect_above(tok) -> bool:
    """An infinitive governed by a verb in the past perfect ("had been due to expire", "had planned to vote"):
    the verb, or the adjective or participle it hangs from (at most two steps), has the auxiliary "had"."""
    head = tok
    for _ in range(2):
        if head.dep_ not in ("xcomp", "acomp", "ccomp") or head.head.i == head.i:
            return False
        head = head.head
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") and c.tag_ == "VBD" for c in head.children):
            return True
    return False


_TENSED = {"day_before", "holiday", "weekday", "month_day", "day_month", "month_alone", "weekday_month_day",
           "part_of_day_of", "weekday_part",
           "season", "clock_date", "fin_period", "week_word", "model", "quarter", "quarter_adj"}
_YEAR_AGO = re.compile(r"year[- ](?:ago|earlier)|last\s+year|previous|prior|\bago\b|earlier", re.I)
_WEEKDAY_KINDS = {"weekday", "weekday_part", "clock_date"}
#: words before a weekday that point to the next one whatever the verb ("until Tuesday", "as early as Friday")
_FORWARD_WEEKDAY = re.compile(r"\b(?:until|till|by|as\s+(?:early|soon)\s+as|ahead\s+of|no\s+later\s+than|"
                              r"deadline\s+(?:of|to)|postponed\s+(?:to|until))\s+(?:(?:on|the|about|around|early|late)\s+)?"
                              r"(?:(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.)|noon|midnight)(?:\s+[A-Z]{3})?\s+)?$", re.I)
#: a thing put off to a day ("postponed until Tuesday", "delayed the vote to Monday", "extended its deadline until 9
#: a.m. Tuesday"): the day comes after the decision, and a report of the decision is written before it
_PUT_OFF = re.compile(r"\b(?:postponed?|postponing|delay(?:ed|ing)?|put(?:ting)?\s+off|pushed\s+back|"
                      r"defer(?:red|ring)?|adjourn(?:ed|ing)?|extend(?:ed|ing)?|moved?)\b(?:\s+[\w'’-]+){0,4}?\s+(?:until|till|to)\s+"
                      r"(?:(?:the|early|late)\s+)?(?:(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.)|noon|midnight)"
                      r"(?:\s+[A-Z]{3})?\s+)?$", re.I)
#: words before a period that make it the one compared with, not the one reported
_CONTRAST_CUE = re.compile(r"\b(?:after|from|than|versus|vs\.|compared\s+(?:with|to)|against|over)\s+"
                           r"(?:(?:a|an|the|its|their|this\s+year['’]s)\s+)?(?:[\w-]+\s+){0,2}$", re.I)
_YEARLESS = {"month_day", "day_month", "month_alone", "weekday_month_day"}


_CORES = ("core", "core4", "core5", "core6", "core7")
#: expressions that compare with an earlier period ("a year earlier", "the year-ago period", "year-earlier")
_COMPARISONS = {"ago", "later", "year_adj"}
_PERIOD_WORD = re.compile(r"\b(?P<q>quarter|three[- ]months?|(?:the\s+)?(?:latest|same|comparable)\s+period)\b|"
                          r"\b(?P<long>(?:nine|six|twelve|eight|\d+)[- ]months?|(?:first|second)\s+half|"
                          r"(?:fiscal|full|calendar)\s+year|year\s+to\s+date|for\s+the\s+year)\b", re.I)


_QUARTER_ENDED = re.compile(r"\s+(?:ended|ending|that\s+ended)\s+(?P<date>" + MONTH + r"\s+" + DAY +
                            r"(?:,?\s+" + YEAR + r")?)\b")


def _quarter_ended(kind: str, surface: str, after: str, published: dt.date | None) -> str:
    """The calendar quarter of "the quarter ended July 31" (a quarter named by the day it ended, without an
    ordinal): the one holding most of the three months up to that day (May-July: the second). "" when the
    words that follow do not name such a day, or the quarter has an ordinal of its own ("the fourth quarter
    ended Aug. 26" keeps the company's own count)."""
    if kind != "fin_period" or re.search(_ORD, surface, re.I) or re.search(r"year[- ](?:ago|earlier)|last\s+year|"
                                                                         r"previous|prior", surface, re.I):
        return ""
    m = _QUARTER_ENDED.match(after)
    if not m:
        return ""
    words = m.group("date")
    if re.search(YEAR, words):
        value = resolve("month_day_year", words, published)[0]
    elif published is not None:
        value = resolve("month_day", words, published, tense="present")[0]
    else:
        return ""
    day = dt.date.fromisoformat(value)
    last_month = (day.year, day.month) if day.day >= 15 else _shift_month(day.year, day.month, -1)
    y, mth = _shift_month(last_month[0], last_month[1], -1)  # the middle one of the three months
    return f"{y}-Q{(mth - 1) // 3 + 1}"


def _named_period(text: str, sent: tuple[int, int], start: int, end: int, prev: tuple[int, int] | None = None) -> str:
    """The reporting period a comparison in this sentence refers to: "quarter" when the period named
    last before it (or, failing that, first after it) is a quarter, "longer" for nine months, a half or a
    year, "" when the sentence names none (the quarter the article reports, if any, is meant). A quarter
    written with its year ("the 1988 second quarter") is a date of its own, not the period compared."""
    def kinds(chunk):
        out = []
        for m in _PERIOD_WORD.finditer(chunk):
            if m.group("q") and re.search(YEAR + r"\s+(?:\w+\s+)?$", chunk[max(0, m.start() - 20):m.start()]):
                continue
            out.append("quarter" if m.group("q") else "longer")
        return out
    before, after = kinds(text[sent[0]:start]), kinds(text[end:sent[1]])
    if not before and not after and prev is not None:
        earlier = kinds(text[prev[0]:prev[1]])  # "In the nine months, net rose. The year-ago results included ..."
        return earlier[-1] if earlier else ""
    return before[-1] if before else (after[0] if after else "")



# =========================================================================== where a pattern can match
# _find runs some seventy patterns over each article. Most begin with \b, which keeps the regex engine from
# skipping ahead by the first character, so each was tried at every position of the text. Instead, each
# pattern's possible first words are read off its own parsed form (_starts), and the pattern is tried only
# where such a word begins (_WordIndex): the same matches, in the same order (every match starts where a
# word the analysis allows begins, and the tries go in order from the end of the last match, as finditer's
# do). A pattern the analysis cannot bound (a first character it cannot enumerate, no \b before a first
# word character, a match that could be empty) is scanned at every position as before.

try:  # the regex parser of the standard library (3.11+: re._parser; before: sre_parse)
    from re import _constants as _sre_c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_KEY = 4  # a word is indexed by its first four characters (decimal digits written "#")
_MAX_STARTS = 5000
_IS_WORD = re.compile(r"\w")
_IS_DIGIT = re.compile(r"\d")
_FIRST = re.compile(rf"\b\w{{1,{_KEY}}}")
_ASCII_DIGITS = str.maketrans("0123456789", "#" * 10)
_FOLDED: dict[str, str] = {}


class _Unbounded(Exception):
    """The first word of a pattern's matches cannot be enumerated."""


def _fold(ch: str) -> str:
    """The ASCII letter a character matches under re.I ("K", the Kelvin sign, is "k"), by the engine's own
    judgment; the character itself if none."""
    got = _FOLDED.get(ch)
    if got is None:
        got = next((c for c in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(c, ch, re.I)), ch)
        _FOLDED[ch] = got
    return got


def _char_key(ch: str, ignorecase: bool) -> str:
    if _IS_DIGIT.match(ch):
        return "#"
    if not ignorecase:
        return ch
    return ch.lower() if ch.isascii() else _fold(ch)


def _key(chars: str, ignorecase: bool) -> str:
    """How the first characters of a word are written in the index."""
    cache = _KEYS[ignorecase]
    got = cache.get(chars)
    if got is None:
        if len(cache) > 100_000:  # words repeat from article to article; the prefixes of a language are few
            cache.clear()
        got = cache[chars] = _key_of(chars, ignorecase)
    return got


_KEYS: dict[bool, dict[str, str]] = {False: {}, True: {}}


def _key_of(chars: str, ignorecase: bool) -> str:
    if chars.isascii():
        chars = chars.translate(_ASCII_DIGITS)
        return chars.lower() if ignorecase else chars
    return "".join(_char_key(ch, ignorecase) for ch in chars)


def _pattern_char(ch: str, ignorecase: bool) -> tuple[set[str], set[str]]:
    """(word keys, non-word characters) of one character a pattern reads."""
    if ignorecase and not ch.isascii() and ch.lower() != ch.upper():
        raise _Unbounded  # a non-ASCII cased letter under re.I: its case partners are not enumerated
    if _IS_WORD.match(ch):
        return {_char_key(ch, ignorecase)}, set()
    return set(), {ch}


def _class_chars(items, ignorecase: bool) -> tuple[set[str], set[str] | None]:
    """(word keys, non-word characters; None: some not enumerated, as a space class) a character class admits."""
    words: set[str] = set()
    other: set[str] | None = set()
    for op, av in items:
        if op is _sre_c.LITERAL or (op is _sre_c.RANGE and av[1] - av[0] < 64):
            for code in ([av] if op is _sre_c.LITERAL else range(av[0], av[1] + 1)):
                w, o = _pattern_char(chr(code), ignorecase)
                words |= w
                if other is not None:
                    other |= o
        elif op is _sre_c.CATEGORY and av is _sre_c.CATEGORY_DIGIT:
            words.add("#")
        elif op is _sre_c.CATEGORY and av is _sre_c.CATEGORY_SPACE:
            other = None
        else:
            raise _Unbounded
    return words, other


# A state of the analysis: (prefix, how, bounded). how: "live" (still being read), "closed" (the word is
# exactly prefix), "open" (the word begins with prefix), "full" (prefix holds _KEY characters), "char" (the
# match begins with the non-word character prefix); bounded: a \b came before the first character.
def _seq(items, states: set, ignorecase: bool) -> set:
    for item in items:
        live = {s for s in states if s[1] == "live"}
        if not live:
            break
        states = (states - live) | _item(item, live, ignorecase)
    return states


def _extend(state, words: set[str], other: set[str] | None) -> set:
    prefix, _, bounded = state
    if not prefix:
        if (words and not bounded) or other is None:
            raise _Unbounded  # a first word character inside a word, or a first character not enumerated
        return {(k, "full" if len(k) >= _KEY else "live", True) for k in words} | {(c, "char", bounded) for c in other}
    out = {(prefix + k, "full" if len(prefix) + 1 >= _KEY else "live", bounded) for k in words}
    if other is None or other:
        out.add((prefix, "closed", bounded))
    return out


def _item(item, states: set, ignorecase: bool) -> set:
    op, av = item
    out: set = set()
    if op is _sre_c.LITERAL or op is _sre_c.IN:
        if op is _sre_c.IN and av and av[0][0] is _sre_c.NEGATE:
            raise _Unbounded
        words, other = (_pattern_char(chr(av), ignorecase) if op is _sre_c.LITERAL else
                        _class_chars(av, ignorecase))
        for s in states:
            out |= _extend(s, words, other)
        return out
    if op is _sre_c.AT:
        for prefix, how, bounded in states:
            if not prefix:
                out.add((prefix, how, bounded or av is _sre_c.AT_BOUNDARY))
            else:  # after a word character, \b ends the word; any other assertion is left unread
                out.add((prefix, "closed" if av is _sre_c.AT_BOUNDARY else "open", bounded))
        return out
    if op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT):
        return set(states)  # a lookaround consumes nothing: ignoring it only widens the starts
    if op is _sre_c.BRANCH:
        for alt in av[1]:
            out |= _seq(alt, set(states), ignorecase)
        return out
    if op is _sre_c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            raise _Unbounded
        return _seq(sub, set(states), ignorecase)
    if op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) or op is getattr(_sre_c, "POSSESSIVE_REPEAT", None):
        lo, hi, sub = av
        if _sre_parse.SubPattern(_sre_parse.State(), list(sub)).getwidth()[0] == 0:
            raise _Unbounded
        if lo == 0:
            out |= states
        cur = states
        for k in range(1, _KEY + 2):  # each pass reads a character: none is still live after _KEY + 1
            if k > hi:
                break
            cur = _seq(sub, set(cur), ignorecase)
            out |= {s for s in cur if s[1] != "live"}
            cur = {s for s in cur if s[1] == "live"}
            if k >= lo:
                out |= cur
            if not cur:
                break
        if cur and hi > _KEY + 1:  # pragma: no cover - cannot happen (see above); stay exact if it did
            raise _Unbounded
        return out
    # anything else (a backreference, a conditional, a category outside a class): a known prefix stays open
    for prefix, _how, bounded in states:
        if not prefix:
            raise _Unbounded
        out.add((prefix, "open", bounded))
    return out


def _starts(rx: re.Pattern) -> frozenset[tuple[str, str]] | None:
    """The first words of every match of ``rx``: (key, how) pairs, how = "full" (the word begins with those
    four characters), "closed" (the word is exactly key), "open" (the word begins with key) or "char" (the
    match begins with that non-word character); None when the pattern cannot be bounded so (it is then
    scanned at every position)."""
    try:
        parsed = _sre_parse.parse(rx.pattern, rx.flags)
        if parsed.getwidth()[0] == 0:
            return None
        states = _seq(parsed.data, {("", "live", False)}, bool(rx.flags & re.I))
    except (_Unbounded, RecursionError):
        return None
    out = {(prefix, "open" if how == "live" else how) for prefix, how, _ in states}
    if any(not prefix for prefix, _ in out) or len(out) > _MAX_STARTS:
        return None
    return frozenset(out)


class _WordIndex:
    """Where each word of a text begins, by its first four characters (digits written "#"; under re.I folded
    as the engine folds them); and where given non-word characters are."""

    def __init__(self, text: str):
        self.text = text
        raw: dict[str, list[int]] = {}
        for m in _FIRST.finditer(text):
            raw.setdefault(m.group(), []).append(m.start())
        self._raw = raw
        self._maps: dict[bool, dict[str, list[int]]] = {}
        self._chars: dict[str, list[int]] = {}

    def _index(self, ignorecase: bool) -> dict[str, list[int]]:
        index = self._maps.get(ignorecase)
        if index is None:  # two raw keys can be one key ("19" and "20" are both "##")
            index = {}
            for k, starts in self._raw.items():
                index.setdefault(_key(k, ignorecase), []).extend(starts)
            self._maps[ignorecase] = index
        return index

    def _char(self, ch: str) -> list[int]:
        got = self._chars.get(ch)
        if got is None:
            got = self._chars[ch] = [m.start() for m in re.finditer(re.escape(ch), self.text)]
        return got

    def starts(self, starts: frozenset[tuple[str, str]], ignorecase: bool) -> list[int]:
        index = self._index(ignorecase)
        found: list[int] = []
        for key, how in starts:
            if how == "char":
                found += self._char(key)
            elif how == "open" and len(key) < _KEY:  # a word that begins so: every key that does
                for k, pos in index.items():
                    if k.startswith(key):
                        found += pos
            else:  # "full": its first four characters; "closed": the whole word (a word under four is its key)
                found += index.get(key, ())
        return sorted(set(found))


def _finditer(rx: re.Pattern, text: str, starts, index: _WordIndex):
    """``rx.finditer(text)``, trying the pattern only where one of its first words begins."""
    if starts is None:
        yield from rx.finditer(text)
        return
    pos = 0
    match = rx.match
    for p in index.starts(starts, bool(rx.flags & re.I)):
        if p < pos:
            continue
        m = match(text, p)
        if m:
            yield m
            pos = m.end()


#: the first words of each pattern's matches (None: scanned at every position)
_PATTERN_STARTS = {kind: _starts(rx) for kind, rx in _PATTERNS}


def _find(text: str) -> list[tuple[int, int, str]]:
    taken = _Taken()  # the spans taken so far: disjoint, so an overlap is a bisection, not a scan of every span
    found = []
    index = _WordIndex(text)
    for kind, rx in _PATTERNS:
        for m in _finditer(rx, text, _PATTERN_STARTS[kind], index):
            s, e = m.start(), m.end()
            for name in _CORES:  # a leading preposition or cue is context, not part of the expression
                if name in rx.groupindex and m.start(name) >= 0:
                    s, e = m.start(name), m.end(name)
            if kind == "year_word" and m.group("ended"):
                e = m.start("ended")
            if taken.overlaps(s, e):
                continue
            if kind == "weekday" and re.search(r"\b(?:Good|Black|Super|Cyber|Ash|Holy|Easter|Palm|Maundy)\s+$",
                                                text[max(0, s - 8):s]):
                continue  # a named day ("Black Friday", "Super Tuesday"), not a date
            if kind == "duration" and not _duration_ok(text, s, e):
                continue
            if kind == "fin_period" and not _period_ok(text[s:e]):
                continue
            taken.add(s, e)
            found.append((s, e, kind))
    return sorted(found)


def _period_ok(surface: str) -> bool:
    """ "the quarter" and "the latest period" are reporting periods; "a quarter of the shares" and "the
    period" alone are not."""
    low = surface.lower()
    words = re.findall(r"[a-z]+", low)
    has_ord = bool(re.search(_ORD, low))
    modified = len(words) > 2 or has_ord
    if words[0] == "a" and not has_ord:
        return False
    return "quarter" in low or modified


def _model_dates(doc, text: str) -> list[tuple[int, int, str]]:
    """spaCy's own DATE and TIME entities where no pattern found anything: extra candidates, valued by
    the resolver when one of its patterns reads them (see :func:`_resolve_model`)."""
    return [(ent.start_char, ent.end_char, "model") for ent in getattr(doc, "ents", ())
            if ent.label_ in ("DATE", "TIME") and _model_ok(ent.text)]


_TIME_WORD = re.compile(r"\b(?:days?|nights?|mornings?|afternoons?|evenings?|weeks?|months?|years?|quarters?|"
                        r"decades?|centur(?:y|ies)|hours?|minutes?|overnight|hourly|spring|summer|autumn|fall|winter|"
                        r"\d{4})\b", re.I)


def _model_ok(surface: str) -> bool:
    """Keep a model date only if it names a unit of time and is not an age, an amount ("a quarter of the
    market"), a bare word ("days") or a number."""
    low = surface.lower().strip()
    if not _TIME_WORD.search(low) or re.search(r"\bold\b|\ba\s+quarter\b|\bcents?\b|%|\$", low):
        return False
    return len(low.split()) > 1 or low in ("overnight", "hourly")


def _resolve_model(s: str, published: dt.date | None, tense: str) -> tuple[str, str, bool, str, str]:
    """A value for the few model dates no pattern reads: the day or month of writing, a part of that day,
    a vague span of time."""
    low = s.lower()
    if published is not None:
        if re.fullmatch(r"(?:later\s+in\s+|earlier\s+in\s+)?the\s+day", low):
            return published.isoformat(), "DATE", True, "publication", ""
        if tense == "present" and re.fullmatch(r"(?:the\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|"
                                                r"ninth|tenth|\d+(?:st|nd|rd|th)|\w+teenth|\w+tieth)\s+"
                                                r"(?:straight\s+|consecutive\s+|successive\s+)?day", low):
            return published.isoformat(), "DATE", True, "publication", ""  # "today is the eighth day of the strike"
        if re.fullmatch(r"the\s+(?:end|beginning|start|middle|rest)\s+of\s+the\s+month|month[- ]end", low):
            return f"{published.year:04d}-{published.month:02d}", "DATE", True, "publication", ""
        part = re.fullmatch(r"(?:the\s+|mid[- ]?|early\s+|late\s+)?(morning|afternoon|evening|night)", low)
        if part:
            return published.isoformat() + "T" + _PARTS[part.group(1)], "TIME", True, "publication", ""
        if low == "overnight":
            return (published - dt.timedelta(days=1)).isoformat() + "TNI", "TIME", True, "publication", ""
    units = re.findall(_PLURAL_UNITS, low)
    if units and re.search(r"\b(?:several|few|some|many|couple)\b", low):
        return _vague_duration(units[0]), "DURATION", False, "", ""
    if low == "hourly":
        return "PT1H", "SET", False, "", ""
    return "", "DATE", False, "", "not understood"


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 3):start]
    return start == 0 or bool(re.search(r"(?:^|[.!?\n]\s*|\n)$", before))


def _duration_ok(text: str, start: int, end: int) -> bool:
    """A number and a unit are a duration unless they are a count of things ("five years of rule" is one;
    "three days" in "three days' notice" is one; "two weeks" in "two weeks ago" was taken already)."""
    words = text[start:end].lower().split()
    if re.match(r"\s+old\b", text[end:end + 5]):
        return False  # an age, "52 years old"
    if len(words) == 2 and words[0] in ("a", "an", "per"):
        before = re.findall(r"[\w$%.,]+", text[max(0, start - 30):start])
        prev = before[-1].lower() if before else ""
        if prev and (re.search(r"[\d%]", prev) or prev in ("million", "billion", "percent", "times") or
                     (prev.endswith("s") and prev not in ("has", "was", "is", "this", "its", "as", "us"))):
            return False  # a rate, "$1.76 a year", "four flights a week"
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
        rows += article_dates(article, doc)
    return pd.DataFrame(rows, columns=DATE_COLUMNS)


def article_dates(article: dict, doc) -> list[dict]:
    """The dates rows of one article (a record of the articles table) and its parse, as records: what
    :func:`dates` returns for it, without a table per article (``analysis.pipeline`` runs it on every one)."""
    rows: list[dict] = []
    art_id = article["article_id"]
    text = doc.text
    pub = article.get("published")
    pub_date = pub.date() if isinstance(pub, pd.Timestamp) and not pd.isna(pub) else None
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    # in order and apart (a parse's sentences share no token): the starts and the ends are both sorted, so
    # the sentence holding a date and the one before it are bisections, not scans of every sentence
    sent_starts, sent_ends = [s for s, _ in sents], [e for _, e in sents]
    last_year = last_quarter = last_month = last_day = None
    found = _find(text)
    found_spans = _Intervals((fs, fe) for fs, fe, _ in found)
    extra = [(s, e, k) for s, e, k in _model_dates(doc, text) if not found_spans.overlaps(s, e)]
    for start, end, kind in sorted(found + extra):
        surface = text[start:end]
        tense = _tense(doc, start, kind in _WEEKDAY_KINDS) if kind in _TENSED else ""
        mode = tense or "past"
        if kind in _YEARLESS and mode == "past" and _FORWARD_CUE.search(text[max(0, start - 40):start]):
            mode = "present"  # "extended to Nov. 20", "payable Dec. 15": the nearest such day
        if kind in _WEEKDAY_KINDS and mode != "future" and _PUT_OFF.search(text[max(0, start - 60):start]):
            mode = "future"  # "postponed until Tuesday", "delayed the vote to Monday": the next one
        elif kind in _WEEKDAY_KINDS | {"week_word"} and mode != "future" and \
                _FORWARD_WEEKDAY.search(text[max(0, start - 40):start]):
            # "could come as early as Tuesday", "until Tuesday", "ahead of the weekend"
            mode = "future" if kind == "week_word" else "present"
        n = bisect.bisect_right(sent_starts, start) - 1  # the last sentence with s <= start
        sent = sents[n] if n >= 0 and start < sents[n][1] else (start, end)
        quarter, year = last_quarter, last_year
        n = bisect.bisect_right(sent_ends, sent[0]) - 1  # the last sentence with e <= sent[0]
        prev = sents[n] if n >= 0 else None
        if kind in _COMPARISONS | {"year_period"} and _named_period(text, sent, start, end, prev) == "longer":
            # "for the nine months, net was $5 million, up from $4 million a year earlier": the year before
            # the one being reported, not the quarter reported nor the last year written
            quarter = year = None
        value, typ, relative, anchor, note = resolve(kind, surface, pub_date, tense=mode, last_year=year,
                                                     last_quarter=quarter, last_month=last_month,
                                                     last_day=last_day)
        if kind == "model" and re.fullmatch(r"(?i)the\s+day", surface) and rows and \
                rows[-1]["article_id"] == art_id and re.fullmatch(r",\s*", text[rows[-1]["end"]:start]) and \
                re.fullmatch(r"\d{4}-\d{2}-\d{2}", rows[-1]["value"]):
            # "Oct. 12, the day before the crash": the day in apposition is the one just named
            value, typ, anchor = rows[-1]["value"], "DATE", "another date in the text"
        ended = "" if last_quarter else _quarter_ended(kind, surface, text[end:end + 40], pub_date)
        if ended:
            # "for the quarter ended July 31": the three months up to that day, not the quarter before (once
            # the article has named its quarter with an ordinal, that count stands: fiscal quarters)
            value, anchor = ended, "the day the quarter ended"
        if typ == "DATE" and re.match(r"^\d{4}", value):
            last_year = int(value[:4])
        if typ in ("DATE", "TIME") and re.match(r"^\d{4}-\d{2}-\d{2}(?:T|$)", value):
            last_day = dt.date.fromisoformat(value[:10])
        if typ == "DATE" and re.match(r"^\d{4}-\d{2}(?:-\d{2})?$", value):
            last_month = (int(value[:4]), int(value[5:7]))
        if re.fullmatch(r"\d{4}-Q[1-4]", value) and kind != "year_period" and not _YEAR_AGO.search(surface):
            q = (int(value[:4]), int(value[-1]))
            if not (pub_date and tense in ("future", "present") and _month_end(q[0], 3 * q[1]) >= pub_date) \
                    and not _CONTRAST_CUE.search(text[max(0, start - 40):start]):
                # the period being reported: not its comparison, nor a quarter still to come, nor one recalled
                # for contrast ("after a flat second quarter", "up from the second quarter")
                last_quarter = q
        rows.append({"article_id": art_id, "text": surface, "start": start, "end": end, "value": value,
                     "type": typ, "relative": relative, "anchor": anchor, "tense": tense, "note": note,
                     "sentence_start": sent[0], "sentence_end": sent[1], "display": describe(value, typ)})
    return rows



# =========================================================================== for readers

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"]
_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_UNIT_NAMES = {"Y": "year", "M": "month", "W": "week", "D": "day", "H": "hour", "E": "decade", "C": "century",
               "Q": "quarter", "L": "millennium", "S": "second"}
_PART_NAMES = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_REF_NAMES = {"PRESENT_REF": "the time of writing", "PAST_REF": "the past", "FUTURE_REF": "the future"}


def _plural(n: str, unit: str) -> str:
    if unit == "century":
        word = "centuries"
    elif unit == "millennium":
        word = "millennia"
    else:
        word = unit + "s"
    if n == "X":
        return "some " + word
    num = float(n)
    text = _SMALL[int(num)] if num.is_integer() and num <= 12 else (str(int(num)) if num.is_integer() else n)
    return f"{text} {unit if num == 1 else word}"


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _day(value: str) -> str:
    """2019-04-02 -> '2 April 2019' (XXXX-04-02 -> '2 April, year unknown')."""
    y, m, d = value.split("-")
    text = f"{int(d)} {_MONTH_NAMES[int(m) - 1]}"
    return text + (" " + y if y.isdigit() else ", year unknown")


def describe(value: str, type: str | None = None) -> str:  # noqa: A002 - the dates table's column name
    """A TIMEX3 value in words for a reader: ``2019-04-02`` -> "2 April 2019", ``2019-03`` -> "March 2019",
    ``2019-W13`` -> "the week of 25 March 2019", ``1998-Q3`` -> "the third quarter of 1998", ``P3Y`` ->
    "three years", ``PRESENT_REF`` -> "the time of writing". An empty or unknown value gives "" (or the
    value itself), never an error. ``type="SET"`` reads ``P1W`` as "every week".

    >>> describe("2019-04-02"), describe("2019-03"), describe("2019-W13"), describe("1998-Q3")
    ('2 April 2019', 'March 2019', 'the week of 25 March 2019', 'the third quarter of 1998')
    >>> describe("2019"), describe("P3Y"), describe("199"), describe("1998-02-11T22:00")
    ('2019', 'three years', 'the 1990s', '11 February 1998, 22:00')
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    v = str(value).strip().upper()
    if not v:
        return ""
    try:
        if v in _REF_NAMES:
            return _REF_NAMES[v]
        m = re.fullmatch(r"P(T?)(\d+(?:\.\d+)?|X)([YMWDHEQCLS])", v)
        if m:
            unit = _UNIT_NAMES[m.group(3)]
            if m.group(1) and m.group(3) == "M":
                unit = "minute"
            if type == "SET":
                return "every " + unit if m.group(2) in ("1", "X") else "every " + _plural(m.group(2), unit)
            return _plural(m.group(2), unit)
        if v.startswith("P"):
            parts = re.findall(r"(\d+(?:\.\d+)?|X)([YMWDH])", v.replace("T", ""))
            return ", ".join(_plural(n, _UNIT_NAMES[u]) for n, u in parts) or value
        date, _, time = v.partition("T")
        if not date and time:  # a time of day alone
            return _PART_NAMES.get(time, time)
        if re.fullmatch(r"(?:\d{4}|XXXX)-\d{2}-\d{2}", date):
            text = _day(date)
            if time:
                text += ", " + _PART_NAMES.get(time, time)
            return text
        m = re.fullmatch(r"(\d{4}|XXXX)-(\d{2})", date)
        if m:
            month = _MONTH_NAMES[int(m.group(2)) - 1]
            return f"{month} {m.group(1)}" if m.group(1).isdigit() else (
                "every " + month if type == "SET" else month + ", year unknown")
        m = re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", date)
        if m:
            monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            if m.group(3):
                sat = monday + dt.timedelta(days=5)
                return f"the weekend of {sat.day} {_MONTH_NAMES[sat.month - 1]} {sat.year}"
            return f"the week of {monday.day} {_MONTH_NAMES[monday.month - 1]} {monday.year}"
        m = re.fullmatch(r"XXXX-WXX-(\d)", date)
        if m:
            return "every " + list(_WEEKDAYS)[int(m.group(1)) - 1].capitalize() + (
                " " + _PART_NAMES[time] if time in _PART_NAMES else "")
        m = re.fullmatch(r"(\d{4})-Q([1-4])", date)
        if m:
            return f"the {['first', 'second', 'third', 'fourth'][int(m.group(2)) - 1]} quarter of {m.group(1)}"
        m = re.fullmatch(r"(\d{4})-H([12])", date)
        if m:
            return f"the {'first' if m.group(2) == '1' else 'second'} half of {m.group(1)}"
        m = re.fullmatch(r"(\d{4}|XXXX)-(SP|SU|FA|WI)", date)
        if m:
            return _SEASON_NAMES[m.group(2)] + (" " + m.group(1) if m.group(1).isdigit() else "")
        if re.fullmatch(r"\d{4}", date):
            return date
        if re.fullmatch(r"\d{3}", date):
            return f"the {date}0s"
        if re.fullmatch(r"\d{2}", date):
            return f"the {_ordinal(int(date) + 1)} century"
    except (ValueError, IndexError, KeyError):
        return str(value)
    return str(value)


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
    # each date row's article (``by``, ``published`` and the article's position, a left merge as before), without
    # merging every article's text onto every date row: the sentence is sliced from the article's own text
    keys = articles[["article_id", by, "published"]].assign(_row=range(len(articles)))
    merged = dated[["article_id"]].assign(_at=range(len(dated))).merge(keys, on="article_id", how="left")
    at = merged["_at"].tolist()
    same = at == list(range(len(dated)))  # one article per id: the date rows in their own order

    def column(name: str) -> list:  # the values itertuples would give, row by row
        values = dated[name].tolist()
        return values if same else [values[i] for i in at]

    bodies = articles["text"].tolist()
    body = [bodies[int(i)] if i == i else None for i in merged["_row"].tolist()]  # NaN: no such article
    return pd.DataFrame(_timeline_rows(merged[by].tolist(), column("article_id"), column("text"), column("value"),
                                       column("type"), column("note"), column("relative"), merged["published"].tolist(),
                                       body, column("sentence_start"), column("sentence_end")),
                        columns=[by, "article_id", "text", "value", "display", "type", "when", "granularity",
                                 "relative", "published", "why_not_placed", "sentence"])


def _timeline_rows(outlets, ids, texts, values, types, notes, relatives, published, bodies, starts, ends) -> list:
    """:func:`timeline_table`'s rows as tuples, each value and (value, type) placed and described once."""
    placed: dict = {}
    described: dict = {}
    rows = []
    for outlet, aid, text, value, typ, note, relative, pub, body, s, e in zip(
            outlets, ids, texts, values, types, notes, relatives, published, bodies, starts, ends):
        if value not in placed:
            placed[value] = value_to_timestamp(value)
        when, grain = placed[value]
        if (value, typ) not in described:
            described[value, typ] = describe(value, typ)
        reason = "" if when is not None else (note or ("a duration, not a date" if typ == "DURATION" else
                                                       "the time of writing" if value == "PRESENT_REF" else
                                                       "not a point in time"))
        rows.append((outlet, aid, text, value, described[value, typ], typ, when, grain, relative, pub, reason,
                     body[s:e].strip() if isinstance(body, str) else ""))
    return rows
