"""Turn what the user typed into what each service understands.

One `Query` holds the user's text and filters; `arxiv_query()`, `s2_text()` and
`fts_match()` render it for arXiv, Semantic Scholar and the local FTS5 index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from .errors import UsageError
from .words import shorten

ARXIV_FIELD = re.compile(r"\b(ti|au|abs|co|jr|cat|rn|all|id|submittedDate|lastUpdatedDate):", re.I)
ARXIV_OPERATOR = re.compile(r"(?:^|\s|\))(AND|OR|ANDNOT)(?:\s|\(|$)")
WORD = re.compile(r"[\w][\w\-'.]*", re.UNICODE)
RELATIVE = re.compile(r"^(\d{1,4})\s*([dwmy])$", re.I)

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each for from
    further had has have having he her here hers how i if in into is it its itself just me more
    most my no nor not of off on once only or other our out over own same she should so some
    such than that the their them then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    ones use using used get want way ways lot lots thing things know need make""".split()
)
# Words that name a setting in this literature ("few-shot", "one-shot", "zero-shot", "single
# image", "low-resource", "small data", "large language model", "long-tailed", "multi-task"):
# never stop words, whatever list the word might be on elsewhere.
MEANINGFUL = frozenset("few one zero single low small large long multi".split())
assert not MEANINGFUL & STOPWORDS


def content_words(text: str) -> list[str]:
    """The words that carry meaning, lower-cased, in order, without duplicates."""
    seen: dict[str, None] = {}
    for raw in WORD.findall(text.lower()):
        word = raw.strip("-'.")
        if word and word not in STOPWORDS and word not in seen:
            seen[word] = None
    return list(seen)


def is_arxiv_syntax(text: str) -> bool:
    return bool(ARXIV_FIELD.search(text) or ARXIV_OPERATOR.search(text) or '"' in text)


def check_balanced(text: str) -> None:
    shown = shorten(text, 80)
    if text.count('"') % 2:
        raise UsageError(f"unbalanced quotes in query: {shown}", hint='close the phrase with "')
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth:
        raise UsageError(f"unbalanced parentheses in query: {shown}", hint="check ( and )")
    empty = EMPTY_FIELD.search(text)
    if empty:
        raise UsageError(
            f"{empty.group(1)}: needs a term after it in query: {shown}",
            hint='e.g. ti:transformer or ti:"graph neural network"',
        )


EMPTY_FIELD = re.compile(
    r"\b(ti|au|abs|co|jr|cat|rn|all|id|submittedDate|lastUpdatedDate):(?=\s|\)|$)", re.I
)


def parse_date(spec: str, *, today: date | None = None, end: bool = False) -> date:
    """A date from `2025-01-01`, `2025-01`, `2025`, or relative `30d`, `2w`, `6m`, `2y` (ago)."""
    today = today or datetime.now(UTC).date()
    text = (spec or "").strip()
    match = RELATIVE.match(text)
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        if unit == "d":
            return today - timedelta(days=amount)
        if unit == "w":
            return today - timedelta(weeks=amount)
        months = amount * (12 if unit == "y" else 1)
        year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
        if year < 1:
            raise UsageError(f"date too far back: {spec}")
        return _clamped(year, month + 1, today.day)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        if re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = map(int, text.split("-"))
            return _clamped(year, month, 31) if end else date(year, month, 1)
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 12, 31) if end else date(int(text), 1, 1)
    except ValueError:
        pass
    raise UsageError(
        f"not a date: {spec!r}", hint="use YYYY-MM-DD, YYYY-MM, YYYY, or 30d / 2w / 6m / 2y ago"
    )


def _clamped(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(month)
    for candidate in (day, 30, 29, 28):
        try:
            return date(year, month, min(day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


@dataclass(frozen=True)
class Query:
    text: str
    since: date | None = None
    until: date | None = None
    categories: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def build(
        cls,
        text: str,
        since: str | None = None,
        until: str | None = None,
        categories: list[str] | tuple[str, ...] = (),
        today: date | None = None,
    ) -> Query:
        """Validate everything the user gave; raise UsageError on the first problem."""
        text = " ".join((text or "").split())
        if not text:
            raise UsageError("empty query", hint='try: litscout search "few-shot learning"')
        if is_arxiv_syntax(text):
            check_balanced(text)
        start = parse_date(since, today=today) if since else None
        stop = parse_date(until, today=today, end=True) if until else None
        if start and stop and start > stop:
            raise UsageError(f"--since {since} is after --until {until}")
        cats: tuple[str, ...] = ()
        if categories:
            from . import categories as taxonomy

            try:
                cats = tuple(dict.fromkeys(taxonomy.validate(categories)))
            except ValueError as exc:
                raise UsageError(str(exc), hint="see https://arxiv.org/category_taxonomy") from None
        if not content_words(text) and not ARXIV_FIELD.search(text):
            raise UsageError(f"query has no searchable words: {shorten(text, 80)!r}")
        return cls(text=text, since=start, until=stop, categories=cats)

    @property
    def key(self) -> str:
        """Stable cache key of the question (text case/space-insensitive, filters in order)."""
        parts = [
            self.text.lower(),
            self.since.isoformat() if self.since else "",
            self.until.isoformat() if self.until else "",
            ",".join(sorted(self.categories)),
        ]
        return "|".join(parts)

    def arxiv_query(self) -> str:
        if is_arxiv_syntax(self.text):
            core = self.text
        else:
            words = content_words(self.text) or self.text.split()
            if len(words) == 1:
                core = f"all:{_arxiv_term(words[0])}"
            elif len(words) <= 3:
                core = 'all:"' + " ".join(words) + '"'
            else:
                core = " AND ".join(f"all:{_arxiv_term(w)}" for w in words)
        clauses = [core]
        if self.categories:
            cats = " OR ".join(f"cat:{c}" for c in self.categories)
            clauses.append(f"({cats})" if len(self.categories) > 1 else cats)
        if self.since or self.until:
            start = (self.since or date(1991, 1, 1)).strftime("%Y%m%d") + "0000"
            stop = (self.until or datetime.now(UTC).date()).strftime("%Y%m%d") + "2359"
            clauses.append(f"submittedDate:[{start} TO {stop}]")
        if len(clauses) > 1 and " " in core and not _is_phrase(core):
            clauses[0] = f"({core})"
        return " AND ".join(clauses)

    def s2_text(self) -> str:
        """Plain words for S2's relevance search (it has no syntax; it reads plain language).

        Author, category, id and date clauses say nothing about the topic: they are dropped,
        and a query made only of them gives "" (then S2's topic search is skipped).
        """
        text = self.text
        if is_arxiv_syntax(text):
            text = re.sub(r"ANDNOT\s+(\([^)]*\)|\"[^\"]*\"|\S+)", " ", text)
            text = re.sub(
                r"\b(au|cat|submittedDate|lastUpdatedDate|id|rn):(\"[^\"]*\"|\[[^\]]*\]|\S+)",
                " ",
                text,
            )
            text = ARXIV_FIELD.sub(" ", text)
            text = re.sub(r"\b(AND|OR)\b|[()\"]", " ", text)
        text = text.replace("-", " ")
        return " ".join(text.split())

    def s2_date_filter(self) -> str | None:
        if not (self.since or self.until):
            return None
        start = self.since.isoformat() if self.since else ""
        stop = self.until.isoformat() if self.until else ""
        return f"{start}:{stop}"

    def fts_match(self, any_word: bool | None = None) -> str:
        """An FTS5 MATCH expression: all words for short queries, any word for questions
        (more than three words); `any_word` True/False forces one or the other."""
        words = content_words(self.s2_text()) or content_words(ARXIV_FIELD.sub(" ", self.text))
        quoted = ['"' + w.replace('"', '""') + '"' for w in words]
        if any_word is None:
            any_word = len(quoted) > 3
        return (" OR " if any_word else " ").join(quoted)

    def terms(self) -> list[str]:
        return content_words(self.s2_text())


def _is_phrase(text: str) -> bool:
    """`all:"a b"` is one term: it needs no parentheses."""
    return bool(re.fullmatch(r'\w+:"[^"]*"', text))


def _arxiv_term(word: str) -> str:
    return f'"{word}"' if "-" in word else word
