"""Parse and verify textual IR, keeping the source position of every op.

xDSL's parser does not attach a location to an op unless the text spells
``loc(...)``. dlc's :class:`LocatingParser` records where each op starts, so that a
verifier error or a failing pass can point at the user's line.
"""

from __future__ import annotations

import re

from xdsl.context import Context
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    DenseResourceAttr,
    FileLineColLoc,
    IntAttr,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    NameLoc,
    NoneAttr,
    StringAttr,
    TensorType,
    UnknownLoc,
)
from xdsl.ir import (
    Attribute,
    Block,
    BlockArgument,
    ErasedSSAValue,
    Operation,
    OpResult,
    Region,
    SSAValue,
)
from xdsl.parser import Parser
from xdsl.parser.generic_parser import ParserState
from xdsl.traits import IsTerminator, NoTerminator, SymbolOpInterface, SymbolTable
from xdsl.utils.exceptions import ParseError, VerifyException
from xdsl.utils.lexer import Input
from xdsl.utils.mlir_lexer import MLIRLexer, MLIRTokenKind

from dlc.diagnostics import SourceLocation, SourceMap, diagnostic_from_parse_error


class LinearStringLexer(MLIRLexer):
    """xDSL 0.74's lexer, with a string-literal pattern that cannot backtrack.

    xDSL's pattern for string literals nests a ``+`` in a ``*``, so it backtracks
    exponentially on a string that is never closed: a truncated resource blob hung
    the parser. Possessive quantifiers match the same strings in linear time.
    """

    _unescaped_characters_regex = re.compile(
        r'"(?:[^"\\\n\v\f]++|\\(?:["nt\\]|[0-9A-Fa-f]{2}))*+"'
    )


class LocatingParser(Parser):
    """An xDSL parser that stamps each parsed op with ``file:line:col``."""

    def __init__(self, ctx: Context, text: str, name: str, line_offset: int = 0):
        super().__init__(ctx, "", name)
        self._parser_state = ParserState(LinearStringLexer(Input(text, name)))
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
        here = FileLineColLoc(
            StringAttr(self._name),
            IntAttr(start.line + self._line_offset),
            IntAttr(start.col),
        )
        if isinstance(op.location, UnknownLoc):
            op.location = here
        elif isinstance(op.location, NameLoc) and isinstance(
            op.location.location, NoneAttr
        ):
            # `loc("conv1")` (an imported ONNX node's name) keeps its name and
            # gains the place in this text, so diagnostics still point at a line.
            op.location = NameLoc(op.location.desc, here)
        return op

    def parse_optional_attribute(self) -> Attribute | None:
        # xDSL builds an attribute from the values it parsed, and its constructors
        # reject a value that does not fit (1.0e+39 in an f16 dense literal) with
        # a ValueError or an OverflowError: report those at the attribute's text.
        # A splat dense literal is expanded to one Python value per element, which
        # a huge tensor type turns into a MemoryError.
        start = self.pos
        try:
            return super().parse_optional_attribute()
        except (ValueError, OverflowError) as error:
            self.raise_error(f"invalid attribute value: {error}", start, self.pos)
        except MemoryError:
            self.raise_error("attribute too large to hold in memory", start, self.pos)

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


def verify_module(
    module: Operation, sources: SourceMap | None = None, *, op_verifiers: bool = True
) -> None:
    """Verify every op, reporting the first failure at that op's source position.

    Ops are checked in the order they appear, so the reported error is the first
    one in the file, as MLIR's verifier does. Besides each op's own verifier, rules
    of MLIR's that xDSL 0.74 does not check hold: every operand dominates its use
    (its parser accepts ``%1 = nn.relu %0`` above the line that defines ``%0``), a
    symbol such as a ``func.func`` lives directly in a symbol table, a block that
    needs a terminator is not empty (``func.func @f() {}``), and a comparison's
    predicate is one it has.

    It takes time linear in the size of the module: a lowered resnet50 is one
    llvm function of thousands of blocks, where anything per block that walks the
    region's blocks (xDSL's own per-op check counts them, its dominance analysis
    intersects sets of all of them) made verifying it take half a minute.

    ``op_verifiers=False`` leaves out each op's own verifier (its operand and
    attribute constraints) and keeps the checks of the module's structure
    (terminators, branches, dominance, symbols), which the translation to LLVM IR
    relies on. That is for a module in the llvm dialect about to be translated:
    LLVM's parser and verifier check every instruction's types again, and each
    op's verifier was most of the time of verifying a lowered resnet50 (145,000
    ops).
    """
    if sources is None:
        sources = SourceMap()
    visited: set[Operation] = set()
    dominance: dict[Region, BlockDominance] = {}
    for op in module.walk():
        visited.add(op)
        try:
            verify_op_alone(op, op_verifiers)
            verify_comparison_predicate(op)
            verify_dims_fit_64_bits(op)
            verify_symbol_scope(op)
            verify_blocks_not_empty(op)
            verify_dominance(op, visited, dominance)
        except VerifyException as error:
            raise sources.error_at(op, _strip_prefix(str(error))) from None
        except Exception as error:
            # Some of xDSL's own verifiers (memref.load, memref.store, ...) raise a
            # bare Exception or ValueError for what is a verifier error.
            if not type(op).__module__.startswith("xdsl."):
                raise
            raise sources.error_at(op, f"{op.name}: {error}") from None


def verify_op_alone(op: Operation, op_verifier: bool = True) -> None:
    """What ``op.verify(verify_nested_ops=False)`` checks, in constant time.

    xDSL 0.74's version counts the blocks of the region around every block's last
    op (to tell a single-block region from a multi-block one), a walk over the
    region's blocks each time; here its first block is its last one or not.
    ``op_verifier=False`` leaves out the op's own verifier, ``verify_``.
    """
    for operand in op.operands:
        if isinstance(operand, ErasedSSAValue):
            raise VerifyException(f"{op.name}: uses an erased value")
    block = op.parent
    region = None if block is None else block.parent
    if op.successors:
        if block is None or region is None:
            raise VerifyException(
                f"{op.name}: has block successors but does not belong to a block "
                "of a region"
            )
        if block.last_op is not op:
            raise VerifyException(
                f"{op.name}: has block successors, so it must terminate its block"
            )
        for successor in op.successors:
            if successor.parent is not region:
                raise VerifyException(
                    f"{op.name}: branches to a block of a different region"
                )
    if block is not None and region is not None and block.last_op is op:
        single_block = region.first_block is region.last_block
        parent = region.parent
        needs_terminator = not single_block or (
            parent is not None and not parent.has_trait(NoTerminator)
        )
        if needs_terminator and not op.has_trait(IsTerminator):
            where = "single-block" if single_block else "multi-block"
            raise VerifyException(
                f"{op.name}: terminates a block in a {where} region, so it must be "
                "a terminator"
            )
    if op_verifier:
        op.verify_()


COMPARISON_PREDICATES: dict[type[Operation], list[str]] = {
    arith.CmpiOp: arith.CMPI_COMPARISON_OPERATIONS,
    arith.CmpfOp: arith.CMPF_COMPARISON_OPERATIONS,
}
"""The predicates of xDSL 0.74's comparisons, whose verifiers accept any integer
(the printer and the folders then index out of this list)."""


MAX_DIM = 2**63 - 1
"""The largest dim a shaped type may have: MLIR's parser rejects any beyond int64,
and every lowering computes sizes and indices in 64-bit integers."""


def verify_dims_fit_64_bits(op: Operation) -> None:
    """Every tensor or memref type ``op`` defines (results, block arguments) has
    dims that fit in a signed 64-bit integer."""
    values = [*op.results]
    for region in op.regions:
        for block in region.blocks:
            values.extend(block.args)
    for value in values:
        type_ = value.type
        if not isinstance(type_, TensorType | MemRefType):
            continue
        for dim in type_.get_shape():  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
            if dim > MAX_DIM:
                raise VerifyException(
                    f"{op.name}: {type_} has a dim of {dim}, more than the "
                    f"{MAX_DIM} a 64-bit integer holds"
                )


def verify_comparison_predicate(op: Operation) -> None:
    """``arith.cmpi``/``cmpf`` name one of their predicates by its number."""
    names = COMPARISON_PREDICATES.get(type(op))
    predicate = op.properties.get("predicate")
    if names is None or not isinstance(predicate, IntegerAttr):
        return
    if not 0 <= predicate.value.data < len(names):
        raise VerifyException(
            f"{op.name}: predicate {predicate.value.data} is not one of the "
            f"{len(names)} predicates, 0 ({names[0]}) to {len(names) - 1} "
            f"({names[-1]})"
        )


def verify_symbol_scope(op: Operation) -> None:
    """A named symbol (``func.func @f``) must sit directly in a symbol table."""
    symbol = op.get_trait(SymbolOpInterface)
    parent = op.parent_op()
    if symbol is None or parent is None or symbol.get_sym_attr_name(op) is None:
        return
    if not parent.has_trait(SymbolTable):
        raise VerifyException(
            f"{op.name}: a symbol must be defined directly in a symbol table such "
            f"as builtin.module, but its parent is {parent.name}"
        )


def verify_blocks_not_empty(op: Operation) -> None:
    """Each block of ``op`` ends with a terminator, unless ``op`` needs none."""
    if op.has_trait(NoTerminator):
        return
    for region in op.regions:
        if any(block.first_op is None for block in region.blocks):
            raise VerifyException(
                f"{op.name}: empty block: expected at least a terminator"
            )


def verify_dominance(
    op: Operation, visited: set[Operation], dominance: dict[Region, BlockDominance]
) -> None:
    """Check that each operand of ``op`` is defined before ``op`` can run.

    ``visited`` holds the ops before ``op`` in a pre-order walk: a value defined in
    the block of ``op`` (or of one of its ancestors) is usable when its op has been
    visited and is not that ancestor itself. A value from another block of the
    same region must come from a block that dominates the use.
    """
    for index, operand in enumerate(op.operands):
        if isinstance(operand, BlockArgument):
            def_block, def_op = operand.block, None
        else:
            assert isinstance(operand, OpResult)
            def_op = operand.op
            def_block = def_op.parent_block()
        user = op
        while user is not None and (
            def_block is None or user.parent_region() is not def_block.parent
        ):
            user = user.parent_op()
        if user is None or def_block is None:
            raise VerifyException(
                f"{op.name}: operand #{index} ({_describe_value(operand)}) is "
                "defined in a region that does not enclose this use"
            )
        user_block = user.parent_block()
        if user_block is def_block:
            if def_op is None or (def_op is not user and def_op in visited):
                continue
        elif def_block.parent is not None:
            region = def_block.parent
            if region not in dominance:
                dominance[region] = BlockDominance(region)
            if user_block is not None and dominance[region].dominates(
                def_block, user_block
            ):
                continue
        raise VerifyException(
            f"{op.name}: operand #{index} ({_describe_value(operand)}) is used "
            "before its definition"
        )


class BlockDominance:
    """Which blocks of a region dominate which, answered in constant time.

    The dominator tree comes from Cooper, Harvey and Kennedy's iterative algorithm
    over the blocks in reverse post-order ("A Simple, Fast Dominance Algorithm"),
    near linear for the reducible control flow of lowered loops; xDSL 0.74's
    ``DominanceInfo`` intersects sets of all the region's blocks for each block,
    quadratic in time and memory. A dominates B when B's interval of a depth-first
    walk of the tree lies in A's. The entry does not reach a block that is
    dominated by itself only.
    """

    def __init__(self, region: Region):
        order = _reverse_post_order(region)
        number = {block: index for index, block in enumerate(order)}
        predecessors: dict[Block, list[Block]] = {block: [] for block in order}
        for block in order:
            if block.last_op is not None:
                for successor in block.last_op.successors:
                    if successor in predecessors:
                        predecessors[successor].append(block)
        idom: dict[Block, Block] = {}
        if order:
            idom[order[0]] = order[0]
        changed = True
        while changed:
            changed = False
            for block in order[1:]:
                new = None
                for predecessor in predecessors[block]:
                    if predecessor not in idom:
                        continue
                    new = (
                        predecessor
                        if new is None
                        else _intersect(predecessor, new, idom, number)
                    )
                if new is not None and idom.get(block) is not new:
                    idom[block] = new
                    changed = True
        children: dict[Block, list[Block]] = {block: [] for block in order}
        for block, parent in idom.items():
            if block is not parent:
                children[parent].append(block)
        self._enter: dict[Block, int] = {}
        self._exit: dict[Block, int] = {}
        clock = 0
        unreachable = [block for block in region.blocks if block not in number]
        for root in order[:1] + unreachable:
            stack = [(root, iter(children.get(root, ())))]
            self._enter[root] = clock
            clock += 1
            while stack:
                block, pending = stack[-1]
                child = next(pending, None)
                if child is None:
                    stack.pop()
                    self._exit[block] = clock
                    clock += 1
                else:
                    self._enter[child] = clock
                    clock += 1
                    stack.append((child, iter(children[child])))

    def dominates(self, a: Block, b: Block) -> bool:
        """Whether every path from the entry to ``b`` passes through ``a``."""
        return self._enter[a] <= self._enter[b] and self._exit[b] <= self._exit[a]


def _reverse_post_order(region: Region) -> list[Block]:
    """The blocks the region's entry reaches, each before its successors except
    along back edges."""
    entry = region.first_block
    if entry is None:
        return []
    seen = {entry}
    post: list[Block] = []
    stack = [(entry, iter(_successors(entry)))]
    while stack:
        block, pending = stack[-1]
        successor = next(pending, None)
        if successor is None:
            stack.pop()
            post.append(block)
        elif successor not in seen:
            seen.add(successor)
            stack.append((successor, iter(_successors(successor))))
    post.reverse()
    return post


def _successors(block: Block) -> tuple[Block, ...]:
    last = block.last_op
    return () if last is None else tuple(last.successors)


def _intersect(
    a: Block, b: Block, idom: dict[Block, Block], number: dict[Block, int]
) -> Block:
    """The nearest common dominator of ``a`` and ``b`` in the tree built so far."""
    while a is not b:
        while number[a] > number[b]:
            a = idom[a]
        while number[b] > number[a]:
            b = idom[b]
    return a


def _describe_value(value: SSAValue) -> str:
    """``%x``, else what defines the value, with its line when it has one."""
    if value.name_hint is not None:
        return f"%{value.name_hint}"
    if isinstance(value, BlockArgument):
        return f"block argument {value.index}"
    assert isinstance(value, OpResult)
    location = SourceLocation.of(value.op.location)
    line = f" on line {location.line}" if location is not None else ""
    return f"result {value.index} of {value.op.name}{line}"


def _strip_prefix(message: str) -> str:
    prefix = "Operation does not verify: "
    return message[len(prefix) :] if message.startswith(prefix) else message
