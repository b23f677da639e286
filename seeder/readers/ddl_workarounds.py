"""Every work-around for DDL that sqlglot 30 cannot read, in one module, so users with such files are not blocked.

Each work-around acts on the statement's sqlglot tokens (sqlglot's own tokenizer for the dialect), never on raw text,
so nothing inside a string literal, a quoted name or a comment is ever touched: ``DEFAULT 'type: bit varying'``
stays as written. Rewrites replace, insert or drop tokens, and the rewritten token list goes to sqlglot's parser
(``Parser.parse(tokens, sql)``, the same call ``sqlglot.parse_one`` makes), so error positions still point into the
statement as written. Forms sqlglot returns as an opaque ``exp.Command`` are taken apart token by token and their
pieces parsed by sqlglot on their own.

:data:`WORKAROUNDS` lists them all, each with the sqlglot limitation it works around and an example statement that
the installed sqlglot still mishandles (``tests/test_ddl_workarounds.py`` checks every example, so a work-around is
noticed and removed once sqlglot reads its construct). :func:`workarounds_for` gives the reader the object applying
the ones of a dialect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect as SqlglotDialect
from sqlglot.dialects.postgres import Postgres
from sqlglot.errors import SqlglotError
from sqlglot.parsers.postgres import PostgresParser
from sqlglot.tokens import Token, TokenType

from seeder.schema import ColumnType

# --------------------------------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class Workaround:
    """One work-around: what sqlglot cannot do, and a statement showing it.

    Attributes:
        name: short identifier (used as the test id).
        dialect: the sqlglot dialect whose reading has the limitation.
        limitation: what the installed sqlglot does with the construct.
        example: a statement plain ``sqlglot.parse_one(example, read=dialect)`` mishandles.
        symptom: how: ``error`` (ParseError), ``command`` (an opaque ``exp.Command``) or ``misread`` (a tree that
            means something else).
        context: DDL that must run before ``example`` in a reader test (the tables an index or ALTER names).
    """

    name: str
    dialect: str
    limitation: str
    example: str
    symptom: Literal["error", "command", "misread"]
    context: str = ""


_TABLE_T = "CREATE TABLE t (a int, note text);"

WORKAROUNDS: tuple[Workaround, ...] = (
    Workaround("sqlite_blob_sub_type", "sqlite",
               "multi-word type names (the Firebird spelling BLOB SUB_TYPE TEXT in sakila's SQLite file; SQLite "
               "accepts any words as a type name) fail to parse; read as TEXT (SUB_TYPE TEXT or 1) or BLOB",
               "CREATE TABLE t (a BLOB SUB_TYPE TEXT)", "error"),
    Workaround("sqlite_integer_spelling", "sqlite",
               "INT and INTEGER parse to the same DataType, but only a column declared exactly INTEGER PRIMARY KEY "
               "is the rowid; the spelling is read from the tokens",
               "CREATE TABLE t (a INT PRIMARY KEY)", "misread"),
    Workaround("postgres_bit_varying", "postgres",
               "pg_dump's spelling 'bit varying(n)' fails to parse; read as varbit(n)",
               "CREATE TABLE t (a bit varying(5))", "error"),
    Workaround("postgres_virtual_generated", "postgres",
               "PostgreSQL 18 'GENERATED ALWAYS AS (...) VIRTUAL' fails to parse; read as STORED (seeder never "
               "writes a generated column either way)",
               "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) VIRTUAL)", "error"),
    Workaround("postgres_quoted_user_type", "postgres",
               "a quoted user type name that matches a built-in after re-tokenising (\"Name\", \"bıgınt\") is read "
               "as the built-in type; a parser subclass keeps it user-defined",
               'CREATE TABLE t (a "Name")', "misread"),
    Workaround("postgres_index_on_only", "postgres",
               "pg_dump's 'CREATE UNIQUE INDEX ... ON ONLY parent' (an index of a partitioned parent) fails to "
               "parse; ONLY is dropped",
               "CREATE UNIQUE INDEX i ON ONLY t (a)", "error", _TABLE_T),
    Workaround("postgres_index_nulls_distinct", "postgres",
               "PostgreSQL 15 'NULLS [NOT] DISTINCT' after an index's columns gives an exp.Command; the clause is "
               "dropped and NULLS NOT DISTINCT reported",
               "CREATE UNIQUE INDEX i ON t (a) NULLS NOT DISTINCT", "command", _TABLE_T),
    Workaround("postgres_domain", "postgres",
               "CREATE DOMAIN gives an exp.Command; its type and constraints are parsed as a column definition",
               "CREATE DOMAIN d AS int CHECK (VALUE > 0)", "command"),
    Workaround("postgres_attach_partition", "postgres",
               "ALTER TABLE ... ATTACH PARTITION gives an exp.Command; it is read as the equivalent CREATE TABLE "
               "child PARTITION OF parent <bound>",
               "ALTER TABLE ONLY p ATTACH PARTITION c FOR VALUES FROM (1) TO (2)", "command",
               "CREATE TABLE p (a int) PARTITION BY RANGE (a); CREATE TABLE c (a int);"),
    Workaround("postgres_add_identity", "postgres",
               "ALTER TABLE ... ALTER COLUMN ... ADD GENERATED ... AS IDENTITY (pg_dump's form) gives an "
               "exp.Command; the column and its SEQUENCE NAME are read from the tokens",
               "ALTER TABLE t ALTER COLUMN a ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME t_a_seq START 1)",
               "command", _TABLE_T),
    Workaround("postgres_identity_options", "postgres",
               "identity options outside sqlglot's short list (START 1 without WITH, CACHE, NO MINVALUE) fail to "
               "parse; the option list is dropped (seeder numbers identity columns itself and moves the sequence)",
               "CREATE TABLE t (a bigint GENERATED BY DEFAULT AS IDENTITY (START 1 CACHE 1 NO CYCLE))", "error"),
    Workaround("postgres_alter_type_enum", "postgres",
               "ALTER TYPE ... ADD VALUE / RENAME VALUE gives an exp.Command; the type, the labels and BEFORE/AFTER "
               "are read from the tokens",
               "ALTER TYPE e ADD VALUE IF NOT EXISTS 'c' BEFORE 'b'", "command",
               "CREATE TYPE e AS ENUM ('a', 'b'); CREATE TABLE t (a e);"),
    Workaround("mysql_less_than_maxvalue", "mysql",
               "'VALUES LESS THAN MAXVALUE' without parentheses fails to parse; read as LESS THAN (MAXVALUE)",
               "CREATE TABLE t (a int) PARTITION BY RANGE (a) (PARTITION p0 VALUES LESS THAN (10), "
               "PARTITION p1 VALUES LESS THAN MAXVALUE)", "error"),
    Workaround("mysql_partition_clause", "mysql",
               "PARTITION BY HASH/KEY/RANGE COLUMNS/LINEAR... gives an exp.Command; the clause is dropped (noted)",
               "CREATE TABLE t (a int) PARTITION BY HASH (a) PARTITIONS 4", "command"),
    Workaround("tsql_clustered_key", "tsql",
               "'PRIMARY KEY|UNIQUE [NON]CLUSTERED (...)' without a CONSTRAINT name fails to parse; the clustering "
               "word (storage only) is dropped",
               "CREATE TABLE t (a int, PRIMARY KEY NONCLUSTERED (a))", "error"),
    Workaround("tsql_default_for", "tsql",
               "ALTER TABLE t ADD [CONSTRAINT n] DEFAULT (expr) FOR col gives an exp.Command; the pieces are read "
               "from the tokens and the expression parsed on its own",
               "ALTER TABLE t ADD CONSTRAINT df DEFAULT (0) FOR a", "command", _TABLE_T),
    Workaround("oracle_partitions", "oracle",
               "PARTITION BY RANGE|LIST (...) (PARTITION p VALUES LESS THAN (TO_DATE(...)), ...) fails to parse; "
               "the clause is cut off and its bounds read from the tokens",
               "CREATE TABLE t (d DATE) PARTITION BY RANGE (d) (PARTITION p1 VALUES LESS THAN "
               "(TO_DATE('2019-01-01', 'YYYY-MM-DD')))", "error"),
    Workaround("oracle_table_options", "oracle",
               "table options after the column list (ORGANIZATION INDEX, COMPRESS inside partitions ...) fail or "
               "give an exp.Command; they describe storage, not valid rows, so they are cut off (noted)",
               "CREATE TABLE t (a int PRIMARY KEY) ORGANIZATION INDEX", "command"),
    Workaround("oracle_long", "oracle",
               "LONG (character data up to 2 GB) is read as BIGINT; it is read as text",
               "CREATE TABLE t (a LONG)", "misread"),
)


# ------------------------------------------------------------------------------------------------------ tokens

_LITERAL_TYPES = frozenset(
    getattr(TokenType, name) for name in (
        "STRING", "BIT_STRING", "HEX_STRING", "BYTE_STRING", "NATIONAL_RAW_STRING", "NATIONAL_STRING",
        "RAW_STRING", "HEREDOC_STRING", "UNICODE_STRING", "IDENTIFIER", "NUMBER",
    ) if hasattr(TokenType, name)
)


class Tokens:
    """A statement's text and its sqlglot tokens, with the matching helpers the work-arounds share.

    A token's *words* are its upper-cased text split at blanks (sqlglot makes one token of ``PRIMARY KEY`` in some
    dialects); strings, quoted names and numbers have no words, so they never match a keyword.
    """

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self._upper: str | None = None

    def __len__(self) -> int:
        return len(self.tokens)

    def mentions(self, *words: str) -> bool:
        """Whether any of ``words`` occurs in the text at all: a cheap test before looking at the tokens (it
        decides nothing; a word inside a string literal passes it and then matches no token)."""
        if self._upper is None:
            self._upper = self.text.upper()
        return any(word in self._upper for word in words)

    def words(self, i: int) -> list[str]:
        if i >= len(self.tokens) or self.tokens[i].token_type in _LITERAL_TYPES:
            return []
        return self.tokens[i].text.upper().split()

    def is_type(self, i: int, *types: TokenType) -> bool:
        return i < len(self.tokens) and self.tokens[i].token_type in types

    def match(self, i: int, phrase: str) -> int | None:
        """If the tokens from ``i`` spell ``phrase`` (keywords separated by blanks), the index after them."""
        wanted = phrase.upper().split()
        k = 0
        while k < len(wanted):
            words = self.words(i)
            if not words or wanted[k:k + len(words)] != words:
                return None
            k += len(words)
            i += 1
        return i

    def find(self, phrase: str, start: int = 0, *, depth: int | None = None) -> int | None:
        """Index of the first token at or after ``start`` where ``phrase`` begins (at paren ``depth`` if given)."""
        level = 0
        for i in range(start, len(self.tokens)):
            if (depth is None or level == depth) and self.match(i, phrase) is not None:
                return i
            if self.is_type(i, TokenType.L_PAREN):
                level += 1
            elif self.is_type(i, TokenType.R_PAREN):
                level -= 1
        return None

    def close_paren(self, i: int) -> int | None:
        """Index of the ``)`` closing the ``(`` at ``i``."""
        level = 0
        for j in range(i, len(self.tokens)):
            if self.is_type(j, TokenType.L_PAREN):
                level += 1
            elif self.is_type(j, TokenType.R_PAREN):
                level -= 1
                if level == 0:
                    return j
        return None

    def is_name(self, i: int) -> bool:
        """A quoted name, or a word that may name something (not punctuation, a string or a number)."""
        if i >= len(self.tokens):
            return False
        tok = self.tokens[i]
        if tok.token_type == TokenType.IDENTIFIER:
            return True
        return tok.token_type not in _LITERAL_TYPES and (tok.text[:1].isalpha() or tok.text[:1] == "_")

    def name(self, i: int) -> int | None:
        """If a possibly qualified name (``a``, ``"s"."t"``, ``[dbo].[t]``) starts at ``i``, the index after it."""
        if not self.is_name(i):
            return None
        i += 1
        while self.is_type(i, TokenType.DOT) and self.is_name(i + 1):
            i += 2
        return i

    def source(self, i: int, j: int | None = None) -> str:
        """The statement text of tokens ``i`` to ``j - 1`` (to the end without ``j``), as written."""
        if i >= len(self.tokens):
            return ""
        last = self.tokens[(j if j is not None else len(self.tokens)) - 1]
        return self.text[self.tokens[i].start:last.end + 1]

    def rest(self, i: int) -> str:
        """The statement text from token ``i`` to the end (``""`` past the last token)."""
        return self.text[self.tokens[i].start:].rstrip() if i < len(self.tokens) else ""

    def at_end(self, i: int) -> bool:
        """Whether only an optional ``;`` follows token ``i - 1``."""
        return i >= len(self.tokens) or (i == len(self.tokens) - 1 and self.is_type(i, TokenType.SEMICOLON))


def _replaced(tokens: list[Token], i: int, j: int, new: list[Token]) -> list[Token]:
    return [*tokens[:i], *new, *tokens[j:]]


#: A token rewrite at one position: ``None`` to keep the token there, else ``(tokens to put in, tokens consumed)``.
Step = Callable[[int], "tuple[list[Token], int] | None"]


def _rewritten(t: Tokens, step: Step) -> list[Token]:
    """The tokens of ``t`` with ``step`` applied at every position, left to right."""
    out: list[Token] = []
    i = 0
    while i < len(t):
        hit = step(i)
        if hit is None:
            out.append(t.tokens[i])
            i += 1
        else:
            out += hit[0]
            i += hit[1]
    return out


# ------------------------------------------------------------------------------------------ sqlglot subclasses


class _QuotedUserTypes:
    """Set-like: which quoted type names sqlglot must keep as user-defined types in PostgreSQL.

    PostgreSQL's built-in type names are all lower-case ASCII, so a quoted name with an upper-case or non-ASCII
    letter (``"Name"``, ``"bıgınt"``) can only be a user type (domain/enum). sqlglot would otherwise re-tokenise the
    name and turn ``"Name"`` into the built-in ``name`` type and ``"bıgınt"`` into ``bigint`` (``"ı".upper() == "I"``).
    ``"char"`` is PostgreSQL's own quoted one-byte type, preserved as sqlglot does.
    """

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name == "char" or name != name.lower() or not name.isascii())


class SeederPostgres(Postgres):
    """sqlglot's PostgreSQL dialect, except that quoted user type names are never mistaken for built-in types
    (work-around ``postgres_quoted_user_type``)."""

    class Parser(PostgresParser):
        QUOTED_TYPES_TO_PRESERVE = _QuotedUserTypes()  # type: ignore[assignment]


# ------------------------------------------------------------------------------------- what the reader receives


@dataclass(frozen=True)
class TableFallback:
    """A second reading of a CREATE TABLE sqlglot could not parse: ``text`` without the clause it chokes on, a
    ``note`` for the user (without the line prefix) and Oracle ``partitioning`` read from the clause, if any."""

    text: str
    note: str | None = None
    partitioning: OraclePartitioning | None = None


@dataclass(frozen=True)
class DefaultFor:
    """A T-SQL ``ALTER TABLE table ADD [CONSTRAINT name] DEFAULT value FOR column``; parts as written."""

    table: str
    name: str | None
    value: str
    column: str


@dataclass(frozen=True)
class AttachPartition:
    """``ALTER TABLE parent ATTACH PARTITION child <bound>``; parts as written (``bound``: ``FOR VALUES ...`` or
    ``DEFAULT``)."""

    table: str
    child: str
    bound: str


@dataclass(frozen=True)
class AddIdentity:
    """``ALTER TABLE t ALTER [COLUMN] c ADD GENERATED ALWAYS|BY DEFAULT AS IDENTITY [(options)]``: parts as written;
    ``always`` for ``ALWAYS``; ``sequence`` from ``SEQUENCE NAME s`` in the options."""

    table: str
    column: str
    always: bool
    sequence: str | None


@dataclass(frozen=True)
class DomainCommand:
    """``CREATE DOMAIN name [AS] rest``: the name and the rest (type and constraints), as written."""

    name: str
    rest: str


@dataclass(frozen=True)
class OraclePartition:
    """One partition of an Oracle partition clause: ``upper`` bounds (``VALUES LESS THAN``) or list ``values``,
    as SQL literal text (dates as ISO strings ``'2019-01-01'``; ``MAXVALUE``/``DEFAULT`` as the bare word)."""

    name: str
    upper: tuple[str, ...] = ()
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class OraclePartitioning:
    """An Oracle ``PARTITION BY`` clause: ``method`` (``range``/``list``/``hash``...), key columns as parsed
    ``exp.Column`` nodes (the caller folds their names) and the partitions."""

    method: str
    columns: tuple[exp.Column, ...]
    partitions: tuple[OraclePartition, ...]


AlterCommand = AttachPartition | AddIdentity | DefaultFor


@dataclass(frozen=True)
class AlterType:
    """``ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'add' [BEFORE 'before' | AFTER 'after']`` or ``ALTER TYPE name
    RENAME VALUE 'old' TO 'new'`` (``rename``); both ``None`` for any other change (``ADD ATTRIBUTE``, ``OWNER TO``),
    whose text after the name is ``rest``.
    """

    name: str
    add: str | None = None
    before: str | None = None
    after: str | None = None
    rename: tuple[str, str] | None = None
    rest: str = ""


# ------------------------------------------------------------------------------------------------ the appliers


class Workarounds:
    """The work-arounds the reader applies for statements of one sqlglot dialect.

    This base applies the ones every dialect gets (the ``exp.Command`` forms of ``CREATE DOMAIN``, ``ATTACH
    PARTITION``, ``ADD GENERATED ... AS IDENTITY``, the index clauses ``ON ONLY`` and ``NULLS [NOT] DISTINCT``, the
    ``INTEGER`` spelling); subclasses add their dialect's.
    """

    #: What to hand to sqlglot as the read dialect (a name or a sqlglot ``Dialect`` subclass).
    parse_with: str | type[SqlglotDialect] = ""

    def __init__(self, sqlglot_dialect: str) -> None:
        self.sqlglot_dialect = sqlglot_dialect
        self._dialect = SqlglotDialect.get_or_raise(self.parse_with or sqlglot_dialect)

    def tokens(self, text: str) -> Tokens | None:
        """The statement's tokens, or ``None`` when sqlglot's tokenizer rejects it (the parser then reports it)."""
        try:
            return Tokens(text, self._dialect.tokenize(text))
        except SqlglotError:
            return None

    def parse(self, text: str, tokens: list[Token] | None = None) -> exp.Expression:
        """Parse one statement, from ``tokens`` when given (rewritten by a work-around), else from ``text``.

        Raises:
            sqlglot.errors.ParseError / TokenError: as ``sqlglot.parse_one``.
        """
        raw = tokens if tokens is not None else self._dialect.tokenize(text)
        for tree in self._dialect.parser().parse(raw, text):
            if tree is not None:
                return tree
        raise sqlglot.errors.ParseError(f"No expression was parsed from '{text}'")

    def token(self, word: str, at: Token, until: Token | None = None) -> Token:
        """A token of ``word`` (as this dialect's tokenizer reads it) standing where ``at`` (to ``until``) stands."""
        kind = _word_type(self._dialect, word)
        return Token(kind, word, at.line, at.col, at.start, (until or at).end)

    # ---- CREATE TABLE

    def create_table(self, t: Tokens) -> list[Token]:
        """The tokens of a CREATE TABLE, with this dialect's rewrites applied."""
        return t.tokens

    def table_fallback(self, t: Tokens) -> TableFallback | None:
        """A second reading when sqlglot could not make a CREATE TABLE of the rewritten tokens, or ``None``."""
        return None

    def declared_integer_columns(self, t: Tokens) -> frozenset[str]:
        """Names of the columns declared exactly ``INTEGER`` (not ``INT``, not ``INTEGER(n)``): sqlglot parses both
        spellings to one ``DataType`` (work-around ``sqlite_integer_spelling``)."""
        names: set[str] = set()
        if not t.mentions("INTEGER"):
            return frozenset()
        for i in range(1, len(t) - 1):
            if (t.is_type(i - 1, TokenType.L_PAREN, TokenType.COMMA) and t.is_name(i) and t.words(i + 1) == ["INTEGER"]
                    and not t.is_type(i + 2, TokenType.L_PAREN)):
                names.add(t.tokens[i].text)
        return frozenset(names)

    # ---- other statements

    def unique_index(self, t: Tokens) -> tuple[list[Token], bool]:
        """A CREATE UNIQUE INDEX without ``ON ONLY``'s ``ONLY`` and without ``NULLS [NOT] DISTINCT`` after the column
        list (``postgres_index_on_only``, ``postgres_index_nulls_distinct``); True when NULLS NOT DISTINCT was
        there."""
        tokens = t.tokens
        if not t.mentions("ONLY", "NULLS"):
            return tokens, False
        on_only = t.find("ON ONLY")
        if on_only is not None:
            tokens = _replaced(tokens, on_only + 1, on_only + 2, [])
            t = Tokens(t.text, tokens)
        not_distinct = False
        for i in range(len(t)):
            if not t.is_type(i, TokenType.R_PAREN):
                continue
            end = t.match(i + 1, "NULLS DISTINCT") or t.match(i + 1, "NULLS NOT DISTINCT")
            if end is not None:
                not_distinct = t.match(i + 1, "NULLS NOT DISTINCT") is not None
                tokens = _replaced(tokens, i + 1, end, [])
                break
        return tokens, not_distinct

    def alter_command(self, t: Tokens) -> AlterCommand | None:
        """Read an ``ALTER TABLE`` that sqlglot returns as an ``exp.Command`` (``postgres_attach_partition``,
        ``postgres_add_identity``), or ``None`` for any other form."""
        head = _alter_head(t) if t.mentions("ATTACH", "GENERATED") else None
        if head is None:
            return None
        table, i = head
        if ((j := t.match(i, "ATTACH PARTITION")) is not None and (k := t.name(j)) is not None
                and (t.match(k, "FOR VALUES") is not None or (t.match(k, "DEFAULT") is not None and t.at_end(k + 1)))):
            return AttachPartition(table=table, child=t.source(j, k), bound=t.rest(k))
        j = t.match(i, "ALTER COLUMN") or t.match(i, "ALTER")
        if j is not None and t.is_name(j):
            column = t.source(j, j + 1)
            k = t.match(j + 1, "ADD GENERATED")
            kind_end = (t.match(k, "ALWAYS") or t.match(k, "BY DEFAULT")) if k is not None else None
            end = t.match(kind_end, "AS IDENTITY") if kind_end is not None else None
            if k is not None and end is not None:
                seq = t.find("SEQUENCE NAME", end)
                seq_end = t.name(seq + 2) if seq is not None else None
                return AddIdentity(table=table, column=column, always=t.match(k, "ALWAYS") is not None,
                                   sequence=t.source(seq + 2, seq_end) if seq is not None and seq_end else None)
        return None

    def identity_options(self, t: Tokens) -> list[Token]:
        """The tokens without the option list of ``AS IDENTITY (...)`` (``postgres_identity_options``)."""
        return t.tokens

    def alter_table_name(self, t: Tokens) -> str | None:
        """The table an ``ALTER TABLE [IF EXISTS] [ONLY] name ...`` changes, as written, or ``None``."""
        head = _alter_head(t)
        return head[0] if head is not None else None

    def alter_type(self, t: Tokens) -> AlterType | None:
        """Read an ``ALTER TYPE`` (``postgres_alter_type_enum``), or ``None`` when it does not start so."""
        i = t.match(0, "ALTER TYPE")
        j = t.name(i) if i is not None else None
        if i is None or j is None:
            return None
        name = t.source(i, j)

        def literal(k: int) -> str | None:
            return t.tokens[k].text if t.is_type(k, TokenType.STRING) else None

        if (k := t.match(j, "ADD VALUE")) is not None:
            k = t.match(k, "IF NOT EXISTS") or k
            add = literal(k)
            before = literal(b) if (b := t.match(k + 1, "BEFORE")) is not None else None
            after = literal(a) if (a := t.match(k + 1, "AFTER")) is not None else None
            return AlterType(name, add=add, before=before, after=after) if add is not None else None
        if (k := t.match(j, "RENAME VALUE")) is not None and (m := t.match(k + 1, "TO")) is not None:
            old, new = literal(k), literal(m)
            return AlterType(name, rename=(old, new)) if old is not None and new is not None else None
        return AlterType(name, rest=t.rest(j))

    def domain(self, t: Tokens) -> DomainCommand | None:
        """Read ``CREATE DOMAIN name [AS] rest`` (``postgres_domain``), or ``None`` when it is not of that form."""
        i = t.match(0, "CREATE DOMAIN")
        j = t.name(i) if i is not None else None
        if i is None or j is None:
            return None
        k = t.match(j, "AS") or j
        return DomainCommand(name=t.source(i, j), rest=t.rest(k))

    def misread_type(self, member: str) -> ColumnType | None:
        """The real meaning of a type sqlglot reads as ``DataType.Type`` member ``member`` in this dialect, when it
        misreads it; ``None`` otherwise."""
        return None


def _alter_head(t: Tokens) -> tuple[str, int] | None:
    """``ALTER TABLE [IF EXISTS] [ONLY] name``: the name as written and the index after it."""
    i = t.match(0, "ALTER TABLE")
    if i is None:
        return None
    i = t.match(i, "IF EXISTS") or i
    i = t.match(i, "ONLY") or i
    j = t.name(i)
    return (t.source(i, j), j) if j is not None else None


@cache
def _word_type(dialect: SqlglotDialect, word: str) -> TokenType:
    return dialect.tokenize(word)[0].token_type


class _PostgresWorkarounds(Workarounds):
    parse_with = SeederPostgres

    def identity_options(self, t: Tokens) -> list[Token]:
        if not t.mentions("IDENTITY"):
            return t.tokens
        out: list[Token] = []
        i = 0
        while i < len(t):
            end = t.match(i, "AS IDENTITY")
            close = t.close_paren(end) if end is not None and t.is_type(end, TokenType.L_PAREN) else None
            if end is not None and close is not None:
                out += t.tokens[i:end]
                i = close + 1
            else:
                out.append(t.tokens[i])
                i += 1
        return out

    def create_table(self, t: Tokens) -> list[Token]:
        """``bit varying`` -> ``varbit`` (``postgres_bit_varying``); ``) VIRTUAL`` ending a generated column ->
        ``) STORED`` (``postgres_virtual_generated``); identity options dropped (``postgres_identity_options``)."""
        if t.mentions("IDENTITY"):
            t = Tokens(t.text, self.identity_options(t))
        if not t.mentions("VARYING", "VIRTUAL"):
            return t.tokens

        def step(i: int) -> tuple[list[Token], int] | None:
            if t.match(i, "BIT VARYING") == i + 2:
                return [self.token("varbit", t.tokens[i], t.tokens[i + 1])], 2
            if (t.words(i) == ["VIRTUAL"] and i > 0 and t.is_type(i - 1, TokenType.R_PAREN)
                    and (i + 1 == len(t) or t.is_type(i + 1, TokenType.COMMA, TokenType.R_PAREN))):
                return [self.token("STORED", t.tokens[i])], 1
            return None
        return _rewritten(t, step)


class _MySQLWorkarounds(Workarounds):
    def create_table(self, t: Tokens) -> list[Token]:
        """``LESS THAN MAXVALUE`` -> ``LESS THAN (MAXVALUE)`` (``mysql_less_than_maxvalue``)."""
        if not t.mentions("MAXVALUE"):
            return t.tokens

        def step(i: int) -> tuple[list[Token], int] | None:
            if t.words(i) == ["MAXVALUE"] and i >= 2 and t.match(i - 2, "LESS THAN MAXVALUE") == i + 1:
                tok = t.tokens[i]
                return [self.token("(", tok), tok, self.token(")", tok)], 1
            return None
        return _rewritten(t, step)

    def table_fallback(self, t: Tokens) -> TableFallback | None:
        """Without the ``PARTITION BY`` clause sqlglot cannot read (``mysql_partition_clause``)."""
        start = t.find("PARTITION BY", depth=0)
        if start is None:
            return None
        return TableFallback(text=t.text[:t.tokens[start].start], note="MySQL partitioning clause not understood, "
                                                                       "ignored")


class _SQLiteWorkarounds(Workarounds):
    def create_table(self, t: Tokens) -> list[Token]:
        """``BLOB SUB_TYPE TEXT|1`` -> ``TEXT``, other sub-types -> ``BLOB`` (``sqlite_blob_sub_type``)."""
        if not t.mentions("SUB_TYPE"):
            return t.tokens

        def step(i: int) -> tuple[list[Token], int] | None:
            if t.match(i, "BLOB SUB_TYPE") == i + 2 and i + 2 < len(t):
                word = "TEXT" if t.tokens[i + 2].text.upper() in ("TEXT", "1") else "BLOB"
                return [self.token(word, t.tokens[i], t.tokens[i + 2])], 3
            return None
        return _rewritten(t, step)


class _TSQLWorkarounds(Workarounds):
    def create_table(self, t: Tokens) -> list[Token]:
        """``PRIMARY KEY|UNIQUE [NON]CLUSTERED (`` without the clustering word (``tsql_clustered_key``)."""
        if not t.mentions("CLUSTERED"):
            return t.tokens

        def step(i: int) -> tuple[list[Token], int] | None:
            if t.words(i) in (["CLUSTERED"], ["NONCLUSTERED"]) and t.is_type(i + 1, TokenType.L_PAREN) and (
                    (i >= 1 and t.match(i - 1, "UNIQUE") == i) or (i >= 1 and t.match(i - 1, "PRIMARY KEY") == i)
                    or (i >= 2 and t.match(i - 2, "PRIMARY KEY") == i)):
                return [], 1
            return None
        return _rewritten(t, step)

    def alter_command(self, t: Tokens) -> AlterCommand | None:
        """Also ``ALTER TABLE t ADD [CONSTRAINT n] DEFAULT value FOR col`` (``tsql_default_for``)."""
        head = _alter_head(t) if t.mentions("DEFAULT") else None
        if head is not None:
            table, i = head
            i = t.match(i, "ADD")
            name = None
            if i is not None and (j := t.match(i, "CONSTRAINT")) is not None and t.is_name(j):
                name, i = t.source(j, j + 1), j + 1
            value = t.match(i, "DEFAULT") if i is not None else None
            end = len(t) - 1 if t.is_type(len(t) - 1, TokenType.SEMICOLON) else len(t)
            if value is not None and end - value >= 3 and t.words(end - 2) == ["FOR"] and t.is_name(end - 1):
                return DefaultFor(table=table, name=name, value=t.source(value, end - 2),
                                  column=t.source(end - 1, end))
        return super().alter_command(t)


class _OracleWorkarounds(Workarounds):
    def table_fallback(self, t: Tokens) -> TableFallback | None:
        """Without the table options after the column list (``oracle_table_options``); partition bounds are read
        from them (``oracle_partitions``). ``CREATE TABLE ... AS SELECT`` is left alone."""
        open_at = next((i for i in range(len(t)) if t.is_type(i, TokenType.L_PAREN)), None)
        close = t.close_paren(open_at) if open_at is not None else None
        if close is None or close + 1 >= len(t) or t.words(close + 1) == ["AS"]:
            return None
        tail = t.text[t.tokens[close].end + 1:]
        partitioning = parse_oracle_partitioning(tail)
        note = None
        if partitioning is None:
            options = " ".join(tail.split())
            note = f"Oracle table options ignored: {options[:60]}{'...' if len(options) > 60 else ''}"
        return TableFallback(text=t.text[:t.tokens[close].end + 1], note=note, partitioning=partitioning)

    def misread_type(self, member: str) -> ColumnType | None:
        """``BIGINT`` is how sqlglot reads Oracle's ``LONG`` (``oracle_long``)."""
        return ColumnType(kind="text", sql="LONG") if member == "BIGINT" else None


_BY_DIALECT: dict[str, type[Workarounds]] = {
    "postgres": _PostgresWorkarounds, "mysql": _MySQLWorkarounds, "sqlite": _SQLiteWorkarounds,
    "tsql": _TSQLWorkarounds, "oracle": _OracleWorkarounds,
}


@cache
def workarounds_for(sqlglot_dialect: str) -> Workarounds:
    """The work-arounds for statements read with sqlglot dialect ``sqlglot_dialect`` (any other name: the base's)."""
    return _BY_DIALECT.get(sqlglot_dialect, Workarounds)(sqlglot_dialect)


# ------------------------------------------------------------------------------------ Oracle partition clauses


def _items(t: Tokens, open_at: int, close: int) -> list[tuple[int, int]]:
    """Token ranges of the comma-separated items between the parens at ``open_at`` and ``close``."""
    items, start, level = [], open_at + 1, 0
    for i in range(open_at + 1, close):
        if t.is_type(i, TokenType.L_PAREN):
            level += 1
        elif t.is_type(i, TokenType.R_PAREN):
            level -= 1
        elif level == 0 and t.is_type(i, TokenType.COMMA):
            items.append((start, i))
            start = i + 1
    items.append((start, close))
    return [(a, b) for a, b in items if b > a]


def _bound_text(node: exp.Expression) -> str:
    """A partition bound as literal text the generators can read: ``TO_DATE('2019-01-01', 'YYYY-MM-DD', ...)`` and
    ``DATE '2019-01-01'`` become ``'2019-01-01'`` (``'... hh:mm:ss'`` when there is a time of day)."""
    if isinstance(node, exp.Column) and node.name.upper() in ("MAXVALUE", "DEFAULT") and not node.table:
        return node.name.upper()
    if isinstance(node, (exp.StrToDate, exp.StrToTime, exp.DateStrToDate, exp.TimeStrToTime)) and isinstance(
            node.this, exp.Literal):
        raw = node.this.name
        fmt = node.args.get("format")
        parsed: dt.datetime | None = None
        if isinstance(fmt, exp.Literal):
            try:
                parsed = dt.datetime.strptime(raw, fmt.name)  # sqlglot turned Oracle's format into strftime codes
            except ValueError:
                parsed = None
        if parsed is None:
            try:
                parsed = dt.datetime.fromisoformat(raw)
            except ValueError:
                return node.sql("oracle")
        text = parsed.isoformat(sep=" ") if parsed.time() != dt.time() else parsed.date().isoformat()
        return exp.Literal.string(text).sql("oracle")
    return node.sql("oracle")


def _bound_values(text: str) -> tuple[str, ...] | None:
    try:
        select = sqlglot.parse_one(f"SELECT {text}", read="oracle")
    except SqlglotError:
        return None
    if not isinstance(select, exp.Select):
        return None
    return tuple(_bound_text(e) for e in select.expressions)


_PARTITION_METHODS = ("RANGE", "LIST", "HASH", "REFERENCE", "SYSTEM")


def parse_oracle_partitioning(tail: str) -> OraclePartitioning | None:
    """Read the ``PARTITION BY`` clause in the options ``tail`` of an Oracle ``CREATE TABLE`` (the text after the
    column list).

    Returns ``None`` when the tail has no partition clause (or cannot be tokenised). Partitions whose bounds cannot
    be read, and the partitions of ``HASH``/``REFERENCE``/``SYSTEM`` partitioning (no bounds), are returned without
    bounds; an ``INTERVAL`` clause is ignored (Oracle then creates partitions as needed, so any value fits).
    """
    t = workarounds_for("oracle").tokens(tail)
    if t is None:
        return None
    method_at = next((after for i in range(len(t)) if (after := t.match(i, "PARTITION BY")) is not None
                      and t.words(after)[:1] and t.words(after)[0] in _PARTITION_METHODS), None)
    if method_at is None:
        return None
    method = t.words(method_at)[0].lower()
    keys_open = method_at + 1
    keys_close = t.close_paren(keys_open) if t.is_type(keys_open, TokenType.L_PAREN) else None
    if keys_close is None:
        return OraclePartitioning(method=method, columns=(), partitions=())
    columns = tuple(exp.to_column(t.source(a, b).strip(), dialect="oracle") for a, b in _items(t, keys_open,
                                                                                              keys_close))
    if t.words(keys_close + 1)[:1] == ["INTERVAL"]:
        return OraclePartitioning(method=method, columns=columns, partitions=())
    list_open = next((i for i in range(keys_close + 1, len(t)) if t.is_type(i, TokenType.L_PAREN)), None)
    list_close = t.close_paren(list_open) if list_open is not None else None
    partitions: list[OraclePartition] = []
    if list_open is not None and list_close is not None and method in ("range", "list"):
        for a, _b in _items(t, list_open, list_close):
            head = t.match(a, "PARTITION")
            if head is None or not t.is_name(head):
                continue
            values_at = t.match(head + 1, "VALUES")
            if values_at is None:
                continue
            less = t.match(values_at, "LESS THAN")
            open_at = less or values_at
            close = t.close_paren(open_at) if t.is_type(open_at, TokenType.L_PAREN) else None
            if close is None:
                continue
            values = _bound_values(t.source(open_at + 1, close)) or () if close > open_at + 1 else ()
            name = t.source(head, head + 1)
            partitions.append(OraclePartition(name=name, upper=values) if less is not None
                              else OraclePartition(name=name, values=values))
    return OraclePartitioning(method=method, columns=columns, partitions=tuple(partitions))


__all__ = [
    "WORKAROUNDS", "AddIdentity", "AlterCommand", "AlterType", "AttachPartition", "DefaultFor", "DomainCommand",
    "OraclePartition", "OraclePartitioning", "SeederPostgres", "TableFallback", "Tokens", "Workaround",
    "Workarounds", "parse_oracle_partitioning", "workarounds_for",
]
