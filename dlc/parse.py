"""Parse and verify textual IR, keeping the source position of every op.

xDSL's parser does not attach a location to an op unless the text spells
``loc(...)``. dlc's :class:`LocatingParser` records where each op starts, so that a
verifier error or a failing pass can point at the user's line.
"""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects.builtin import (
    DenseResourceAttr,
    FileLineColLoc,
    IntAttr,
    ModuleOp,
    StringAttr,
    UnknownLoc,
)
from xdsl.ir import Operation
from xdsl.parser import Parser
from xdsl.utils.exceptions import ParseError, VerifyException
from xdsl.utils.mlir_lexer import MLIRTokenKind

from dlc.diagnostics import SourceMap, diagnostic_from_parse_error


class LocatingParser(Parser):
    """An xDSL parser that stamps each parsed op with ``file:line:col``."""

    def __init__(self, ctx: Context, text: str, name: str, line_offset: int = 0):
        super().__init__(ctx, text, name)
        self._name = name
        self._line_offset = line_offset
        self._resource_keys: dict[tuple[str, str], str] = {}
        self._borrowed: dict[tuple[str, str], OpAsmDialectInterface] = {}
        self._renamed: dict[str, str] = {}

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

    # --- dense_resource blobs -------------------------------------------------------
    # xDSL 0.74 keeps blobs in one process-wide store per dialect and renames a
    # name it has seen before, differently for the handle in `dense_resource<w>`
    # and for the blob in `{-# dialect_resources #-}`, so a text parsed twice lost
    # its weights. dlc maps each name of one text to one key instead. A name another
    # text already holds is reused when this text gives the same blob (so re-parsing
    # prints the same names), and renamed when it gives another blob or none (so
    # one module never sees another module's weights).

    def _parse_dialect_resource_handle(
        self, dialect_name: str, interface: OpAsmDialectInterface
    ) -> str:
        name = self.parse_identifier(" for resource handle")
        return self._resource_key(dialect_name, name, interface)

    def _resource_key(
        self, dialect_name: str, name: str, interface: OpAsmDialectInterface
    ) -> str:
        if (dialect_name, name) not in self._resource_keys:
            if interface.lookup(name) is None:
                key = interface.declare_resource(name)
            else:
                key = name
                self._borrowed[(dialect_name, name)] = interface
            self._resource_keys[(dialect_name, name)] = key
            self.dialect_resources.add((dialect_name, key))
        return self._resource_keys[(dialect_name, name)]

    def _parse_resource(
        self, dialect_name: str, interface: OpAsmDialectInterface
    ) -> None:
        name = self.parse_identifier(" for resource handle")
        self._parse_token(MLIRTokenKind.COLON, "expected `:`")
        blob = self.parse_str_literal()
        key = self._resource_key(dialect_name, name, interface)
        if self._borrowed.pop((dialect_name, name), None) is not None:
            if interface.lookup(key) != blob:
                key = self._rename_resource(dialect_name, name, interface)
        try:
            interface.parse_resource(key, blob)
        except (KeyError, ValueError) as error:
            self.raise_error(f"bad blob for resource '{name}': {error}")

    def _rename_resource(
        self, dialect_name: str, name: str, interface: OpAsmDialectInterface
    ) -> str:
        key = interface.declare_resource(name)
        self._resource_keys[(dialect_name, name)] = key
        self.dialect_resources.add((dialect_name, key))
        self._renamed[name] = key
        return key

    def parse_module(self, allow_implicit_module: bool = True) -> ModuleOp:
        module = super().parse_module(allow_implicit_module)
        # A name held by another text that this text gave no blob stays blob-less.
        for dialect_name, name in list(self._borrowed):
            interface = self._borrowed.pop((dialect_name, name))
            self._rename_resource(dialect_name, name, interface)
        if self._renamed:
            rename_resource_handles(module, self._renamed)
        return module


def rename_resource_handles(module: ModuleOp, renamed: dict[str, str]) -> None:
    """Point every ``dense_resource<old>`` property or attribute at its new name."""
    for op in module.walk():
        for attrs in (op.properties, op.attributes):
            for attr_name, attr in attrs.items():
                if (
                    isinstance(attr, DenseResourceAttr)
                    and attr.resource_handle.data in renamed
                ):
                    new_handle = renamed[attr.resource_handle.data]
                    attrs[attr_name] = DenseResourceAttr.from_params(
                        new_handle, attr.type
                    )


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
