"""Full-text search over the archive: one query function, one index per database engine.

Every article keeps ``search_text``, its title, lead and text folded to lower-case ASCII
(:func:`storage.text.fold`), and queries are folded the same way, so "chuyen doi so" finds
"Chuyển đổi số". What is indexed is that folded text, split into words of ``[a-z0-9]``:

- SQLite (the default archive): an FTS5 table ``articles_fts`` with ``articles`` as its
  external content (the text is not stored twice), kept in sync by triggers on ``articles``
  (migration 0006), so every writer — the crawl, an import, raw SQL — keeps it current.
  A later migration that rebuilds ``articles`` in batch mode drops those triggers with the
  old table and must create them again (``tests/storage/test_search.py`` checks they exist).
- PostgreSQL: a GIN index on ``to_tsvector('simple', <search_text with non-word characters
  replaced by spaces>)``; the ``simple`` configuration neither stems nor drops stop words,
  which suits folded Vietnamese, and the replacement makes its words the same as FTS5's.
- Any other database: ``LIKE`` per word (no index; correct, slow on large archives).

The query language is small on purpose: words (all must occur), ``"quoted phrases"`` (words
in this order, next to each other), and ``word*`` (a word starting so). Everything else a
user types is a separator, so no input can inject the engines' own query syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    column,
    false,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy import func as sqlfunc

from storage.models import Article
from storage.text import fold

FTS_TABLE = "articles_fts"
PG_INDEX = "ix_articles_search_tsv"
# What the PostgreSQL index is built on (must match migration 0006 character for character,
# or the planner will not use the index): the folded text with non-word runs as spaces.
PG_DOCUMENT_SQL = (
    "to_tsvector('simple'::regconfig, regexp_replace(search_text, '[^a-z0-9]+', ' ', 'g'))"
)

_WORD = re.compile(r"[a-z0-9]+")
# a quoted phrase (closing quote optional, a "*" after it makes a prefix) or a word
_TERM = re.compile(r'"([^"]*)("\*?)?|(\S+)')
_LIKE_ESCAPE = "\\"
_SIMPLE = literal_column("'simple'::regconfig")


@dataclass(frozen=True)
class Term:
    """One thing every result must contain: a word, a phrase (several words in order), or a
    word prefix (``prefix``: the last word may continue)."""

    words: tuple[str, ...]
    prefix: bool = False


def parse_query(text: str | None) -> list[Term]:
    """The terms of a user's query, folded; empty when it holds no word at all.

    ``Đà Lạt "chuyển đổi số" công nghệ*`` -> ``[da], [lat], [chuyen doi so], [cong nghe*]``
    (a prefix on the last word of a phrase or on a word).
    """
    terms: list[Term] = []
    for match in _TERM.finditer(text or ""):
        phrase, closing, word = match.groups()
        if phrase is not None:
            words = tuple(_WORD.findall(fold(phrase)))
            if words:
                prefix = phrase.rstrip().endswith("*") or (closing or "").endswith("*")
                terms.append(Term(words, prefix=prefix))
            continue
        prefix = word.endswith("*")
        parts = _WORD.findall(fold(word))
        # "57-NQ/TW" or "4.0" are one thing to the user: keep their parts together.
        if len(parts) > 1:
            terms.append(Term(tuple(parts), prefix=prefix))
        elif parts:
            terms.append(Term((parts[0],), prefix=prefix))
    return list(dict.fromkeys(terms))  # a repeated term is one condition


def _fts5_query(terms: list[Term]) -> str:
    """An FTS5 MATCH expression: every word quoted (no operator can slip in), terms ANDed."""
    parts = []
    for term in terms:
        quoted = '"' + " ".join(term.words) + '"'
        parts.append(quoted + ("*" if term.prefix else ""))
    return " AND ".join(parts)


def _tsquery(terms: list[Term]) -> str:
    """A PostgreSQL ``to_tsquery`` expression: phrases with ``<->``, prefixes with ``:*``."""
    parts = []
    for term in terms:
        words = list(term.words)
        if term.prefix:
            words[-1] += ":*"
        parts.append("(" + " <-> ".join(words) + ")")
    return " & ".join(parts)


def _escape_like(word: str) -> str:
    return word.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")


def _like(terms: list[Term]) -> ColumnElement[bool]:
    conditions = []
    for term in terms:
        pattern = "%" + _escape_like(" ".join(term.words)) + "%"
        conditions.append(Article.search_text.like(pattern, escape=_LIKE_ESCAPE))
    return and_(*conditions)


def text_condition(text: str | None, dialect: str) -> ColumnElement[bool] | None:
    """The WHERE clause selecting articles that match ``text`` on a database of ``dialect``
    (``sqlite``, ``postgresql``, ...); ``None`` for an empty query (no filter). A query of
    punctuation alone ("_", "%") matches nothing: nothing contains it as a word.

    This is the one search function: :func:`storage.articles.query_articles` (the CLI's
    ``--q``, the API's and the feeds' ``q``) filters through it.
    """
    if not text or not text.strip():
        return None
    terms = parse_query(text)
    if not terms:
        return false()
    if dialect == "sqlite":
        fts = table(FTS_TABLE, column("rowid"))
        matches = select(fts.c.rowid).where(
            literal_column(FTS_TABLE).op("MATCH")(literal(_fts5_query(terms), String))
        )
        return Article.id.in_(matches)
    if dialect == "postgresql":
        document = sqlfunc.to_tsvector(
            _SIMPLE,
            sqlfunc.regexp_replace(
                Article.search_text, literal_column("'[^a-z0-9]+'"), literal_column("' '"),
                literal_column("'g'"),
            ),
        )  # fmt: skip
        query = sqlfunc.to_tsquery(_SIMPLE, literal(_tsquery(terms), String))
        return document.op("@@")(query)
    return _like(terms)


def search_object(name: str | None) -> bool:
    """Whether a schema object is part of the search index rather than of the models: the
    FTS5 table and its shadow tables, and the PostgreSQL expression index. Migrations'
    autogenerate and the models-versus-migrations test leave these alone."""
    if not name:
        return False
    return name in (FTS_TABLE, PG_INDEX) or name.startswith(FTS_TABLE + "_")
