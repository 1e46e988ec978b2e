"""User-facing diagnostics: ``file:line:col: error: message``, the source line, a caret.

Every mistake a user can make (bad syntax, a verifier error, a failing pass) ends up
as a :class:`DiagnosticError`. The tools print it and exit with status 1; the Python
API raises it. A Python traceback for a user's mistake is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.dialects.builtin import FileLineColLoc, LocationAttr, NameLoc
from xdsl.ir import Operation
from xdsl.utils.exceptions import ParseError


@dataclass(frozen=True)
class SourceLocation:
    """A 1-based position in a named source file."""

    filename: str
    line: int
    column: int

    @staticmethod
    def of(location: LocationAttr) -> SourceLocation | None:
        """The position an op's ``loc(...)`` attribute names, if it names one."""
        if isinstance(location, FileLineColLoc):
            return SourceLocation(
                location.filename.data, location.line.data, location.column.data
            )
        if isinstance(location, NameLoc):
            child = location.location
            if isinstance(child, LocationAttr):  # pyright: ignore
                return SourceLocation.of(child)
        return None


@dataclass
class DiagnosticError(Exception):
    """An error to show to the user, pinned to a source position when one is known."""

    message: str
    location: SourceLocation | None = None
    source_line: str | None = None
    notes: list[str] = field(default_factory=list[str])

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def format(self) -> str:
        where = "error"
        if self.location is not None:
            loc = self.location
            where = f"{loc.filename}:{loc.line}:{loc.column}: error"
        lines = [f"{where}: {self.message}"]
        if self.source_line is not None and self.location is not None:
            lines.append(self.source_line.rstrip("\n"))
            lines.append(" " * (self.location.column - 1) + "^")
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


class SourceMap:
    """The text of every file that was parsed, to quote the offending line."""

    def __init__(self) -> None:
        self._lines: dict[str, list[str]] = {}

    def add(self, filename: str, text: str, first_line: int = 1) -> None:
        lines = self._lines.setdefault(filename, [])
        needed = first_line - 1 + text.count("\n") + 1
        if len(lines) < needed:
            lines.extend([""] * (needed - len(lines)))
        for i, line in enumerate(text.split("\n")):
            lines[first_line - 1 + i] = line

    def line(self, location: SourceLocation) -> str | None:
        lines = self._lines.get(location.filename)
        if lines is None or not 1 <= location.line <= len(lines):
            return None
        return lines[location.line - 1]

    def error_at(self, op: Operation, message: str) -> DiagnosticError:
        """A diagnostic at ``op``'s source location (or without one, if unknown)."""
        location = SourceLocation.of(op.location)
        source = self.line(location) if location is not None else None
        if location is None:
            message = f"{message}\nin operation:\n{op}"
        return DiagnosticError(message, location, source)


def diagnostic_from_parse_error(error: ParseError) -> DiagnosticError:
    """Turn xDSL's ParseError (span + message) into a located diagnostic."""
    span = error.span
    loc = span.get_location()
    input_text = span.input.content
    if isinstance(input_text, bytes):
        input_text = input_text.decode(errors="replace")
    start = input_text.rfind("\n", 0, span.start) + 1
    end = input_text.find("\n", span.start)
    line = input_text[start : end if end != -1 else len(input_text)]
    return DiagnosticError(
        error.msg.strip(), SourceLocation(loc.file, loc.line, loc.col), line
    )
