"""Parse and verify textual IR, keeping the source position of every op.

xDSL's parser does not attach a location to an op unless the text spells
``loc(...)``. dlc's :class:`LocatingParser` records where each op starts, so that a
verifier error or a failing pass can point at the user's line.
"""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects.builtin import (
    FileLineColLoc,
    IntAttr,
    ModuleOp,
    StringAttr,
    UnknownLoc,
)
from xdsl.ir import Operation
from xdsl.parser import Parser
from xdsl.utils.exceptions import ParseError, VerifyException

from dlc.diagnostics import SourceMap, diagnostic_from_parse_error


class LocatingParser(Parser):
    """An xDSL parser that stamps each parsed op with ``file:line:col``."""

    def __init__(self, ctx: Context, text: str, name: str, line_offset: int = 0):
        super().__init__(ctx, text, name)
        self._name = name
        self._line_offset = line_offset
        self._resource_keys: dict[tuple[str, str], str] = {}

    def parse_operation(self) -> Operation:
        start_span = self._current_token.span
        start = start_span.get_location()
        try:
            op = super().parse_operation()
        except VerifyException as error:
            # xDSL's declarative-format parser checks property constraints while
            # parsing; report those like any other error in the op's text.
            raise ParseError(start_span, str(error)) from None
        if isinstance(op.location, UnknownLoc):
            op.location = FileLineColLoc(
                StringAttr(self._name),
                IntAttr(start.line + self._line_offset),
                IntAttr(start.col),
            )
        return op


    def _parse_dialect_resource_handle(
        self, dialect_name: str, interface: OpAsmDialectInterface
    ) -> str:
        """Map each resource name of this text to one blob key, as MLIR does.

        xDSL 0.74 keeps blobs in a process-wide store and renames a name it has
        seen before (``w1`` becomes ``w1_0``), but it renames the handle in
        ``dense_resource<w1>`` and the blob in ``{-# dialect_resources #-}``
        differently, so a text parsed twice lost its weights.
        """
        name = self.parse_identifier(" for resource handle")
        if (dialect_name, name) not in self._resource_keys:
            key = interface.declare_resource(name)
            self._resource_keys[(dialect_name, name)] = key
            self.dialect_resources.add((dialect_name, key))
        return self._resource_keys[(dialect_name, name)]


def parse_module(
    ctx: Context,
    text: str,
    filename: str = "<string>",
    *,
    sources: SourceMap | None = None,
    line_offset: int = 0,
    verify: bool = True,
) -> ModuleOp:
    """Parse ``text`` into a module and verify it.

    Raises :class:`DiagnosticError` for any syntax or verifier error.
    """
    if sources is None:
        sources = SourceMap()
    sources.add(filename, text, first_line=line_offset + 1)
    try:
        module = LocatingParser(ctx, text, filename, line_offset).parse_module()
    except ParseError as error:
        diagnostic = diagnostic_from_parse_error(error)
        if diagnostic.location is not None:
            line = diagnostic.location.line + line_offset
            diagnostic.location = type(diagnostic.location)(
                diagnostic.location.filename, line, diagnostic.location.column
            )
        raise diagnostic from None
    if verify:
        verify_module(module, sources)
    return module


def verify_module(module: Operation, sources: SourceMap | None = None) -> None:
    """Verify every op, reporting the first failure at that op's source position.

    Ops are checked in the order they appear, so the reported error is the first
    one in the file, as MLIR's verifier does.
    """
    if sources is None:
        sources = SourceMap()
    for op in module.walk():
        try:
            op.verify(verify_nested_ops=False)
        except VerifyException as error:
            raise sources.error_at(op, _strip_prefix(str(error))) from None


def _strip_prefix(message: str) -> str:
    prefix = "Operation does not verify: "
    return message[len(prefix) :] if message.startswith(prefix) else message
