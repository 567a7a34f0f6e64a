"""spaCy's attribute ruler, compiled: the same rules, applied as a table look-up instead of a token Matcher.

The English model's ``attribute_ruler`` maps each fine-grained tag (and some words, dependencies and spaces)
to a part of speech, morphology and lemma with about 180 token patterns. spaCy runs them through its
``Matcher``, which tries every pattern at every token: a tenth of the whole parse here. Almost every pattern
looks at one token only (its ``TAG``, ``LOWER``, ``DEP``, ``IS_SPACE``), so what the ruler does to a token
depends only on those four values: :class:`CompiledAttributeRuler` works it out once per distinct
combination (applying the model's own patterns in the ruler's order, later ones winning) and writes the
results for a whole Doc at once with ``Doc.from_array``. The few patterns of two tokens ("gon na", "there
is") are matched directly around the tokens that can start them.

The patterns are read from the loaded model's ruler (nothing is written here), and a ruler with a pattern
this module cannot compile is left as it is (:func:`compile_ruler` returns None). ``tests/test_nlp.py``
compares every token's tag, part of speech, morphology, lemma and dependency with spaCy's own ruler.
"""

from __future__ import annotations

import re

__all__ = ["compile_ruler", "CompiledAttributeRuler", "FACTORY"]


FACTORY = "compiled_attribute_ruler"
_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_ATTRS = ("TAG", "POS", "MORPH", "LEMMA", "DEP")
MEMO_LIMIT = 200_000


def _predicate(value):
    """One token attribute's condition, as spaCy's Matcher reads it, as a function of the string value."""
    if isinstance(value, dict):
        if set(value) - {"IN", "NOT_IN", "REGEX"}:
            raise ValueError(f"unsupported condition {value!r}")
        tests = []
        if "IN" in value:
            allowed = frozenset(value["IN"])
            tests.append(lambda v: v in allowed)
        if "NOT_IN" in value:
            banned = frozenset(value["NOT_IN"])
            tests.append(lambda v: v not in banned)
        if "REGEX" in value:
            rx = re.compile(value["REGEX"])
            tests.append(lambda v: rx.search(v) is not None)
        return lambda v: all(t(v) for t in tests)
    if isinstance(value, (str, bool)):
        return lambda v: v == value
    raise ValueError(f"unsupported condition {value!r}")


def _token_test(spec: dict):
    """A whole token pattern (a dict of attribute conditions) as a test of (tag, lower, dep, is_space)."""
    if set(spec) - set(_KEYS):
        raise ValueError(f"unsupported token attributes {sorted(set(spec) - set(_KEYS))}")
    checks = [(_KEYS.index(k), _predicate(v)) for k, v in spec.items()]
    return lambda values: all(test(values[i]) for i, test in checks)


class CompiledAttributeRuler:
    """A pipeline component with the behaviour of ``AttributeRuler.__call__`` for the patterns it was given."""

    def __init__(self, vocab, patterns: list[dict]):
        from spacy.parts_of_speech import IDS

        self.vocab = vocab
        self.single: list[tuple[int, object, dict]] = []  # (order, test, attrs)
        self.multi: list[tuple[int, list, int, dict]] = []  # (order, token tests, index, attrs)
        words: set[str] = set()  # every LOWER a pattern names, and its regular expressions
        self._regexes: list = []
        for order, p in enumerate(patterns):
            unknown = set(p["attrs"]) - set(_ATTRS)
            if unknown:
                raise ValueError(f"unsupported attributes {sorted(unknown)}")
            for alternative in p["patterns"]:
                for spec in alternative:
                    low = spec.get("LOWER")
                    if isinstance(low, str):
                        words.add(low)
                    elif isinstance(low, dict):
                        words.update(low.get("IN", ()), low.get("NOT_IN", ()))
                        if "REGEX" in low:
                            self._regexes.append(re.compile(low["REGEX"]))
                tests = [_token_test(spec) for spec in alternative]
                if len(tests) == 1:
                    if p.get("index", 0) not in (0, -1):
                        raise ValueError("index outside a one-token pattern")
                    self.single.append((order, tests[0], dict(p["attrs"])))
                else:
                    self.multi.append((order, tests, p.get("index", 0), dict(p["attrs"])))
        if "" in words or any(rx.search("") for rx in self._regexes):
            raise ValueError("a pattern tests for the empty word")  # the look-up below writes '' for other words
        self._words = {vocab.strings.add(w) for w in words}
        self._plain: dict[int, bool] = {}  # word hash -> no pattern can tell it from '' (cached)
        self._memo: dict[tuple, tuple] = {}
        # every value the rules write, interned now (outside any memory zone), so a look-up never adds strings
        self._value: dict[tuple[str, str], int] = {}
        for _, _, attrs in self.single:
            self._intern(attrs, IDS)
        for _, _, _, attrs in self.multi:
            self._intern(attrs, IDS)
        self._empty = vocab.strings.add("")

    def _intern(self, attrs: dict, ids: dict) -> None:
        for name, value in attrs.items():
            if name == "POS":
                self._value[name, value] = ids[value]
            elif name == "MORPH":
                self._value[name, value] = self.vocab.morphology.add(value)  # the hash of its normalised form
            elif name != "DEP":
                self._value[name, value] = self.vocab.strings.add(value)

    def _rules_for(self, key: tuple) -> list:
        """The one-token rules that apply to a token with these (tag, lower, dep, is_space) hashes, in order."""
        strings = self.vocab.strings
        t, lw, d, s = key
        values = (strings[t], strings[lw], strings[d], bool(s))
        return [(order, attrs) for order, test, attrs in self.single if test(values)]

    def _is_plain(self, word: int) -> bool:
        """True when no pattern names this word or matches it by a regular expression: every test then reads it
        as it reads the empty word, and the tokens of thousands of words share one look-up."""
        plain = self._plain.get(word)
        if plain is None:
            if len(self._plain) > MEMO_LIMIT:
                self._plain.clear()
            text = self.vocab.strings[word]
            plain = self._plain[word] = word not in self._words and not any(rx.search(text) for rx in self._regexes)
        return plain

    def __call__(self, doc):
        import numpy as np
        from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG

        n = len(doc)
        if not n:
            return doc
        keys = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).astype("uint64")
        words, where = np.unique(keys[:, 1], return_inverse=True)
        plain = np.fromiter((self._is_plain(int(w)) for w in words), dtype=bool, count=len(words))
        keys[plain[where.reshape(-1)], 1] = self._empty
        rows, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        memo = self._memo
        entries = []
        for row in rows.tolist():
            key = tuple(row)
            entry = memo.get(key)
            if entry is None:
                if len(memo) > MEMO_LIMIT:  # distinct (tag, word, dependency) combinations: bounded memory
                    memo.clear()
                entry = memo[key] = self._compile(self._rules_for(key))
            entries.append(entry)
        out = doc.to_array([TAG, POS, MORPH, LEMMA]).astype("uint64")
        for col in range(4):  # each attribute: the rule's value where a rule sets it, else the parse's own
            has = np.fromiter((any(c == col for c, _ in e[0]) for e in entries), dtype=bool, count=len(entries))
            if has.any():
                value = np.array([next((v for c, v in e[0] if c == col), 0) for e in entries], dtype="uint64")
                mask = has[inverse]
                out[mask, col] = value[inverse][mask]
        deps = {i: entries[k][1] for i, k in enumerate(inverse.tolist()) if entries[k][1] is not None} \
            if any(e[1] is not None for e in entries) else {}
        for i, extra in self._multi_matches(doc, rows, inverse).items():  # two-token rules: merged in order
            rules = sorted(self._rules_for(tuple(rows[inverse[i]].tolist())) + extra, key=lambda r: r[0])
            cols, dep = self._compile(rules)
            for col, value in cols:
                out[i, col] = value
            if dep is not None:
                deps[i] = dep
        doc.from_array([TAG, POS, MORPH, LEMMA], out)
        for i, dep in deps.items():
            doc[i].dep_ = dep
        return doc

    def _multi_matches(self, doc, rows, inverse) -> dict[int, list]:
        """Tokens a rule of several tokens applies to: {token index: [(order, attrs), ...]}."""
        import numpy as np

        found: dict[int, list] = {}
        if not self.multi:
            return found
        strings = self.vocab.strings
        values = [(strings[t], strings[lw], strings[d], bool(s)) for t, lw, d, s in rows.tolist()]
        n = len(inverse)
        for order, tests, index, attrs in self.multi:
            width = len(tests)
            if n < width:
                continue
            ok = np.ones(n - width + 1, dtype=bool)
            for k, test in enumerate(tests):  # each position's test on the distinct rows, then on the tokens
                passed = np.fromiter((test(v) for v in values), dtype=bool, count=len(values))
                ok &= passed[inverse][k:n - width + 1 + k]
            for start in np.flatnonzero(ok).tolist():
                found.setdefault(start + (index if index >= 0 else width + index), []).append((order, attrs))
        return found

    def _compile(self, rules: list) -> tuple[list, str | None]:
        """The final value of each attribute after the rules in order (later win), as array columns."""
        final: dict[str, str] = {}
        for _, attrs in rules:
            final.update(attrs)
        cols = [(col, self._value[name, final[name]])
                for name, col in (("TAG", 0), ("POS", 1), ("MORPH", 2), ("LEMMA", 3)) if name in final]
        return cols, final.get("DEP")


def compile_ruler(nlp) -> bool:
    """Replace ``nlp``'s ``attribute_ruler`` by its compiled form (a component named
    ``compiled_attribute_ruler`` at the same place); False, and nothing changed, when there is no ruler or it
    holds a pattern this module cannot compile."""
    from spacy.language import Language

    if "attribute_ruler" not in nlp.pipe_names:
        return False
    if not Language.has_factory(FACTORY):
        @Language.factory(FACTORY)
        def _make(nlp, name):  # noqa: ARG001 - spaCy's factory signature
            # built from the ruler it replaces, still in the pipeline while this one is added
            return CompiledAttributeRuler(nlp.vocab, list(nlp.get_pipe("attribute_ruler").patterns))

    try:
        nlp.add_pipe(FACTORY, after="attribute_ruler")
    except ValueError:  # a pattern it cannot compile: the pipeline is left as it was
        return False
    nlp.remove_pipe("attribute_ruler")
    return True
