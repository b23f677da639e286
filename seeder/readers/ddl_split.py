"""Split a DDL script into statements, the way the dialect's command-line client would.

One left-to-right scan with a regular expression that jumps from one "interesting" character to the next (quote,
comment start, terminator, newline, dollar sign), so that a 1 MB dump splits in well under a second. Terminators
inside strings, quoted identifiers, comments and dollar-quoted bodies do not split. Client-side commands (psql
``\\connect``, MySQL ``DELIMITER``, T-SQL ``GO``, SQL*Plus ``/``, ``REM``, ``PROMPT``, ``SET``, ``@script``) are
consumed and never returned as statements, and so are the data rows after a psql ``COPY ... FROM stdin;`` (up to the
``\\.`` line); comment-only statements are dropped, except MySQL's executable ``/*!40101 ... */`` comments, which the
server runs and which are therefore statements. Statements that only a batch separator ends (T-SQL procedures and
views, Oracle PL/SQL blocks) keep their semicolons; a T-SQL batch holding several statements without terminators
(``CREATE TABLE a (...)`` then ``CREATE TABLE b (...)``) is cut where a new statement starts a line outside
parentheses.
"""

from __future__ import annotations

import re

from seeder.dialects import Dialect, read_dialect
from seeder.dialects.rules import ReadRules

_NON_SPACE = re.compile(r"\S")
_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$")
_TRIGGER_HEAD = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\s+|TEMPORARY\s+)?TRIGGER\b", re.IGNORECASE)
_BLOCK_WORDS = re.compile(r"\b(BEGIN|CASE|END)\b", re.IGNORECASE)
_COMMENT_MARK = re.compile(r"/\*|\*/")
_META_COMMAND = re.compile(r"[ \t]*\\")
_COPY_FROM_STDIN = re.compile(r"COPY\b[^;]*\bFROM\s+STDIN\b", re.IGNORECASE)
_COPY_DATA_END = re.compile(r"^\\\.[ \t]*$", re.MULTILINE)
_DELIMITER_COMMAND = re.compile(r"[ \t]*DELIMITER[ \t]+(\S+)[^\n]*", re.IGNORECASE)
# SQL*Plus commands that may start a line between statements; each runs to the end of its line (a trailing "-"
# continuation is not followed: "rem -----" lines are far more common than continued SET commands).
_SQLPLUS_COMMAND = re.compile(
    r"[ \t]*(?:@|(?:REM|REMARK|PRO|PROMPT|SET|SPOOL|WHENEVER|DEFINE|UNDEFINE|EXIT|QUIT|CONNECT|CONN|SHOW|PAUSE"
    r"|COLUMN|TTITLE|BTITLE|ACCEPT|HOST|CLEAR|BREAK|COMPUTE|EXEC|EXECUTE|DESCRIBE|DESC|VARIABLE|VAR|PRINT"
    r"|PASSWORD|RECOVER|STARTUP|SHUTDOWN|TIMING|ARCHIVE)(?=[ \t\r\n]|$))",
    re.IGNORECASE,
)
# What starts a new statement inside a T-SQL batch with no terminator in between (at the start of a line, outside
# parentheses); ALTER/DROP need their object word, since ALTER TABLE t ALTER COLUMN / DROP COLUMN also start lines.
_IMPLICIT_STATEMENT = re.compile(
    r"[ \t]*(?:(?:CREATE|ALTER|DROP)\s+(?:TABLE|VIEW|INDEX|UNIQUE|CLUSTERED|NONCLUSTERED|PROC|PROCEDURE|FUNCTION"
    r"|TRIGGER|SCHEMA|TYPE|SEQUENCE|SYNONYM|STATISTICS)\b|INSERT\s+INTO\b|GRANT\b)",
    re.IGNORECASE,
)

# String bodies after the opening quote, without and with backslash escapes; a doubled quote is an escaped quote.
_QUOTED_END = {
    ("'", False): re.compile(r"(?:[^']|'')*'"),
    ("'", True): re.compile(r"(?:[^'\\]|''|\\.)*'", re.DOTALL),
    ('"', False): re.compile(r'(?:[^"]|"")*"'),
    ('"', True): re.compile(r'(?:[^"\\]|""|\\.)*"', re.DOTALL),
    ("`", False): re.compile(r"(?:[^`]|``)*`"),
    ("[", False): re.compile(r"[^\]]*\]"),
}


def split_statements(text: str, dialect: str | Dialect) -> list[tuple[int, str]]:
    """Split DDL ``text`` written in ``dialect`` (an entry, or a name or alias accepted by
    :func:`seeder.dialects.read_dialect`) into statements, following the entry's ``read`` rules.

    Returns:
        ``(line, statement)`` pairs in source order: ``line`` is the 1-based line of the statement's first
        character that is not whitespace or a comment; ``statement`` is its text without the terminator, with
        trailing whitespace removed.

    Raises:
        ConfigError: unknown dialect name.
    """
    return _Splitter(text, read_dialect(dialect).read).run()


class _Splitter:
    """State of one scan: the current terminator, where the current statement began, trigger block depth."""

    def __init__(self, text: str, rules: ReadRules) -> None:
        self.text = text
        self.rules = rules
        self.out: list[tuple[int, str]] = []
        self.stmt_start: int | None = None
        self.block_depth = 0
        self.paren_depth = 0  # only tracked for implicit_statements
        self.whole_batch = False  # the current statement ends only at the batch separator
        self._block_head = re.compile(rules.block_heads, re.IGNORECASE) if rules.block_heads else None
        self._line_pos = 0
        self._line_no = 1
        self._batch_separator = (
            re.compile(rf"[ \t]*{re.escape(rules.batch_separator)}(?:[ \t]+\d+)?[ \t]*(?:--[^\n]*)?(?=\n|\Z)",
                       re.IGNORECASE)
            if rules.batch_separator else None
        )
        self._set_delimiter(";")

    def _set_delimiter(self, delimiter: str) -> None:
        rules = self.rules
        alternatives = [re.escape(delimiter), "\n", "'", '"', "--", r"/\*"]
        if rules.backtick_identifiers:
            alternatives.append("`")
        if rules.bracket_identifiers:
            alternatives.append(r"\[")
        if rules.hash_comments:
            alternatives.append("#")
        if rules.dollar_quotes:
            alternatives.append(r"\$")
        self.delimiter = delimiter
        self.special = re.compile("|".join(alternatives))

    def _line_of(self, pos: int) -> int:
        # Statements are emitted in order, so counting newlines since the previous one is enough.
        self._line_no += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line_no

    def _emit(self, end: int) -> None:
        if self.stmt_start is not None:
            body = self.text[self.stmt_start:end].rstrip()
            if body:
                self.out.append((self._line_of(self.stmt_start), body))
        self.stmt_start = None
        self.block_depth = 0
        self.paren_depth = 0
        self.whole_batch = False

    def _line_directive(self, pos: int) -> int | None:
        """At the start of a line: if it holds a client command, consume it and return where the line ends."""
        text, rules = self.text, self.rules
        if self._batch_separator is not None and (m := self._batch_separator.match(text, pos)):
            self._emit(pos)
            return m.end()
        if self.stmt_start is not None:
            if (rules.implicit_statements and not self.whole_batch and self.paren_depth <= 0
                    and _IMPLICIT_STATEMENT.match(text, pos)):
                self._emit(pos)  # the scan goes on from here and starts the next statement on this line
            return None
        if (rules.meta_commands and _META_COMMAND.match(text, pos)) or (
                rules.sqlplus_commands and _SQLPLUS_COMMAND.match(text, pos)):
            end = text.find("\n", pos)
            return len(text) if end < 0 else end
        if rules.delimiter_command and (m := _DELIMITER_COMMAND.match(text, pos)):
            self._set_delimiter(m.group(1))
            return m.end()
        return None

    def run(self) -> list[tuple[int, str]]:
        text, rules = self.text, self.rules
        n = len(text)
        i = 0
        at_line_start = True
        while i <= n:
            if at_line_start:
                at_line_start = False
                skipped_to = self._line_directive(i)
                if skipped_to is not None:
                    i = skipped_to
                    continue
            m = self.special.search(text, i)
            end = m.start() if m else n
            if self.stmt_start is None and (first := _NON_SPACE.search(text, i, end)):
                self._start_at(first.start())
            if rules.implicit_statements:
                self.paren_depth += text.count("(", i, end) - text.count(")", i, end)
            if rules.trigger_blocks and self.stmt_start is not None:
                for word in _BLOCK_WORDS.findall(text, i, end):
                    self.block_depth += -1 if word.upper() == "END" else 1
            if m is None:
                break
            token = m.group()
            start = m.start()
            i = m.end()
            if token == self.delimiter:
                if self.whole_batch or (self.block_depth > 0 and self._in_trigger()):
                    continue
                copy_data = rules.meta_commands and self._is_copy_from_stdin()
                self._emit(start)
                if copy_data:  # psql: the rows follow the statement, up to a line holding only "\."
                    end_of_data = _COPY_DATA_END.search(text, i)
                    i = n if end_of_data is None else end_of_data.end()
            elif token == "\n":
                at_line_start = True
            elif token == "--":
                if rules.hash_comments and i < n and text[i] not in " \t\r\n":
                    # MySQL needs whitespace after "--" for a comment; "--1" is minus minus one.
                    self._start_at(start)
                    continue
                i = self._end_of_line(i)
            elif token == "#":
                i = self._end_of_line(i)
            elif token == "/*":
                if rules.hash_comments and text.startswith("!", i):
                    # MySQL runs /*!NNNNN ... */ "comments" as code: keep them in (or as) a statement.
                    self._start_at(start)
                i = self._end_of_block_comment(i)
            elif token == "$":
                self._start_at(start)
                tag = _DOLLAR_TAG.match(text, start)
                preceded_by_name = start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_$")
                if tag and not preceded_by_name:
                    close = text.find(tag.group(), tag.end())
                    i = n if close < 0 else close + len(tag.group())
            else:  # a quote or a quoted identifier
                self._start_at(start)
                escapes = rules.backslash_escapes or (
                    token == "'" and start > 0 and text[start - 1] in "eE"
                    and not (start > 1 and (text[start - 2].isalnum() or text[start - 2] == "_"))
                )
                pattern = _QUOTED_END.get((token, escapes and token in "'\"")) or _QUOTED_END[(token, False)]
                closing = pattern.match(text, i)
                i = n if closing is None else closing.end()
        self._emit(n)
        return self.out

    def _start_at(self, pos: int) -> None:
        if self.stmt_start is None:
            self.stmt_start = pos
            self.whole_batch = self._block_head is not None and self._block_head.match(self.text, pos) is not None

    def _is_copy_from_stdin(self) -> bool:
        return self.stmt_start is not None and _COPY_FROM_STDIN.match(self.text, self.stmt_start) is not None

    def _in_trigger(self) -> bool:
        return self.stmt_start is not None and _TRIGGER_HEAD.match(self.text, self.stmt_start) is not None

    def _end_of_line(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end

    def _end_of_block_comment(self, pos: int) -> int:
        text = self.text
        if not self.rules.nested_comments:
            end = text.find("*/", pos)
            return len(text) if end < 0 else end + 2
        depth = 1
        for m in _COMMENT_MARK.finditer(text, pos):
            depth += 1 if m.group() == "/*" else -1
            if depth == 0:
                return m.end()
        return len(text)
