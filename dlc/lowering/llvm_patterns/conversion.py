"""What every llvm pattern set shares: type conversion, casts, symbols, intrinsics.

The patterns convert one op at a time, in whatever order the rewriter visits them,
and each converts the types it touches itself (xDSL's recursive
``TypeConversionPattern`` loops forever on ``0 : index``):

* ``index`` becomes ``i64``;
* a static ``memref`` becomes a bare ``!llvm.ptr`` (its shape lives on in the
  address arithmetic of the loads and stores that use it);
* every other type is already a valid llvm type and stays.

Where a converted op meets a value that is not converted yet, or an op that is not
converted yet meets a converted value, the two are bridged with
``builtin.unrealized_conversion_cast``, as MLIR's dialect conversion does. A memref
access therefore still sees its operand's memref type (and shape) however early its
producer was converted. :func:`reconcile_casts` removes the cast pairs at the end::

    %p = llvm.call @aligned_alloc(%a, %n) : (i64, i64) -> !llvm.ptr
    %m = builtin.unrealized_conversion_cast %p : !llvm.ptr to memref<4x8xf32>
    %q = builtin.unrealized_conversion_cast %m : memref<4x8xf32> to !llvm.ptr
    %e = llvm.getelementptr inbounds %q[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32

becomes ``%e = llvm.getelementptr inbounds %p[%i] ...``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from xdsl.dialects import llvm
from xdsl.dialects.builtin import (
    AnyFloat,
    BFloat16Type,
    DenseArrayBase,
    FixedBitwidthType,
    IndexType,
    IntAttr,
    IntegerAttr,
    IntegerType,
    MemRefType,
    ModuleOp,
    NoneAttr,
    UnitAttr,
    UnrealizedConversionCastOp,
    VectorType,
    i32,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.rewriter import InsertPoint
from xdsl.traits import SymbolTable

from dlc.diagnostics import DiagnosticError, SourceLocation

INDEX_BITS = 64
"""``index`` is a 64-bit integer on every dlc target."""


def llvm_type(type_: Attribute) -> Attribute:
    """The llvm dialect type that holds a value of ``type_``."""
    if isinstance(type_, IndexType):
        return i64
    if isinstance(type_, MemRefType):
        space = type_.memory_space
        if isinstance(space, IntegerAttr):
            return llvm.LLVMPointerType(IntAttr(space.value.data))  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        return llvm.LLVMPointerType()
    if isinstance(type_, VectorType) and isinstance(type_.element_type, IndexType):
        return VectorType(i64, type_.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    return type_


def is_static_memref(type_: Attribute) -> bool:
    """A memref a bare pointer can stand for: static shape, row-major layout."""
    return (
        isinstance(type_, MemRefType)
        and isinstance(type_.layout, NoneAttr)
        and all(d >= 0 for d in type_.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        and element_bytes(type_.element_type) is not None  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    )


def element_bytes(type_: Attribute) -> int | None:
    """Bytes one element of ``type_`` takes in memory (LLVM's alloc size)."""
    if isinstance(type_, IndexType):
        return INDEX_BITS // 8
    if isinstance(type_, FixedBitwidthType):
        return 1 << (type_.size - 1).bit_length()
    return None


def llvm_operand(
    value: SSAValue, rewriter: PatternRewriter, where: InsertPoint | None = None
) -> SSAValue:
    """``value`` with its llvm type: itself, the source of a cast, or a new cast.

    A new cast goes at ``where``, by default before the op being rewritten.
    """
    target = llvm_type(value.type)
    if value.type == target:
        return value
    owner = value.owner
    if isinstance(owner, UnrealizedConversionCastOp) and owner.inputs[0].type == target:
        return owner.inputs[0]
    cast, result = UnrealizedConversionCastOp.cast_one(value, target)
    rewriter.insert(cast, where)
    return result


def llvm_operands(
    values: Sequence[SSAValue],
    rewriter: PatternRewriter,
    where: InsertPoint | None = None,
) -> list[SSAValue]:
    return [llvm_operand(v, rewriter, where) for v in values]


def cast_back(
    values: Sequence[SSAValue], original_types: Sequence[Attribute]
) -> tuple[list[Operation], list[SSAValue]]:
    """Casts from converted ``values`` back to ``original_types`` where they differ.

    Users that are not converted yet keep seeing the type they expect.
    """
    casts: list[Operation] = []
    results: list[SSAValue] = []
    for value, original in zip(values, original_types, strict=True):
        if value.type == original:
            results.append(value)
            continue
        cast, result = UnrealizedConversionCastOp.cast_one(value, original)
        casts.append(cast)
        results.append(result)
    return casts, results


def replace_op(
    rewriter: PatternRewriter,
    op: Operation,
    new_ops: Sequence[Operation],
    new_results: Sequence[SSAValue] | None = None,
) -> None:
    """Replace ``op`` by ``new_ops``, casting results whose type changed back.

    The results (by default, those of the last new op) take over ``op``'s result
    names; the intermediate ops stay unnamed.
    """
    if new_results is None:
        new_results = new_ops[-1].results if new_ops else ()
    rewriter.insert(new_ops)
    for new, old in zip(new_results, op.results, strict=True):
        new.name_hint = new.name_hint or old.name_hint
    casts, results = cast_back(new_results, op.result_types)
    rewriter.replace(op, casts, results)


def legalize_block_arguments(block: Block, rewriter: PatternRewriter) -> None:
    """Give ``block``'s arguments llvm types; their old users get a cast back."""
    for arg in block.args:
        original = arg.type
        target = llvm_type(original)
        if target == original:
            continue
        new_arg = rewriter.replace_value_with_new_type(arg, target)
        if not new_arg.uses:
            continue
        cast, result = UnrealizedConversionCastOp.cast_one(new_arg, original)
        rewriter.insert(cast, InsertPoint.at_start(block))
        rewriter.replace_uses_with_if(
            new_arg, result, lambda use, cast=cast: use.operation is not cast
        )


def reconcile_casts(root: Operation) -> None:
    """Fold each cast of a cast back to the original type, then drop dead casts."""
    casts = [op for op in root.walk() if isinstance(op, UnrealizedConversionCastOp)]
    for cast in casts:
        source = cast.inputs[0].owner
        if (
            isinstance(source, UnrealizedConversionCastOp)
            and source.inputs[0].type == cast.outputs[0].type
        ):
            cast.outputs[0].replace_all_uses_with(source.inputs[0])
    for cast in reversed(casts):
        if not cast.outputs[0].uses:
            cast.detach()
            cast.erase()


def check_llvm_only(root: ModuleOp, pass_name: str) -> None:
    """Report the first op that the LLVM translation would reject.

    Everything under the module must be llvm by now; an op of a dialect no pattern
    set knows (``scf.if``, say) is named, and so is a cast that survived because
    the value it bridges belongs to such an op.
    """
    left = [op for op in root.walk() if op is not root and op.dialect_name() != "llvm"]
    for op in left:
        if not isinstance(op, UnrealizedConversionCastOp):
            raise DiagnosticError(
                f"{pass_name}: failed to lower '{op.name}'; no pattern converts it",
                SourceLocation.of(op.location),
            )
    if left:
        cast = left[0]
        source, target = cast.operands[0].type, cast.results[0].type
        raise DiagnosticError(
            f"{pass_name}: a value of type {source} is still used as {target}; "
            "no pattern converts its producer or its users",
            SourceLocation.of(cast.location),
        )


def declare_function(
    anchor: Operation,
    name: str,
    function_type: llvm.LLVMFunctionType,
    rewriter: PatternRewriter,
) -> None:
    """Declare the external function ``@name`` in ``anchor``'s module, once."""
    if SymbolTable.lookup_symbol(anchor, name) is not None:
        return
    module = anchor.get_toplevel_object()
    assert isinstance(module, ModuleOp)
    declaration = llvm.FuncOp(name, function_type, linkage=llvm.LinkageAttr("external"))
    rewriter.insert(declaration, InsertPoint.at_start(module.body.block))


@cache
def integer_attr(value: int, type_: IntegerType) -> IntegerAttr:
    """``IntegerAttr(value, type_)``, made once: attributes are immutable, and
    building one (range check, normalization) costs more than the op using it.
    """
    return IntegerAttr(value, type_)


def constant(value: Attribute, type_: Attribute) -> llvm.ConstantOp:
    """``llvm.ConstantOp(value, type_)``, built from its property (xDSL's
    constructor normalizes its arguments at a cost larger than the op's own).
    """
    return llvm.ConstantOp.create(properties={"value": value}, result_types=[type_])


def i64_constant(value: int) -> llvm.ConstantOp:
    return constant(integer_attr(value, i64), i64)


def i32_constant(value: int) -> llvm.ConstantOp:
    return constant(integer_attr(value, i32), i32)


def icmp(predicate: str, lhs: SSAValue, rhs: SSAValue) -> llvm.ICmpOp:
    """``llvm.icmp`` by predicate name (``slt``, ``ne``, ...)."""
    flag = llvm.ICmpPredicateFlag(predicate).to_int()
    return llvm.ICmpOp(lhs, rhs, integer_attr(flag, i64))


_ONE_SSA_INDEX = DenseArrayBase.from_list(i32, [llvm.GEP_USE_SSA_VAL])


def aligned_load(pointer: SSAValue, type_: Attribute, alignment: int) -> llvm.LoadOp:
    """``llvm.load``, as ``llvm.LoadOp(pointer, type_, alignment)`` builds it.

    The loads, stores and GEPs below are built from their properties: xDSL's
    constructors make new attributes for each op, and loop-to-llvm builds tens
    of thousands of them.
    """
    return llvm.LoadOp.create(
        operands=[pointer], result_types=[type_], properties=_access(alignment)
    )


def aligned_store(value: SSAValue, pointer: SSAValue, alignment: int) -> llvm.StoreOp:
    """``llvm.store``, as ``llvm.StoreOp(value, pointer, alignment)`` builds it."""
    return llvm.StoreOp.create(operands=[value, pointer], properties=_access(alignment))


def _access(alignment: int) -> dict[str, Attribute]:
    """The properties of a non-atomic load or store with ``alignment``."""
    return {
        "ordering": integer_attr(0, i64),
        "alignment": integer_attr(alignment, i64),
    }


def inbounds_gep(
    base: SSAValue, index: SSAValue, element: Attribute, result_type: Attribute
) -> llvm.GEPOp:
    """``getelementptr inbounds base[index]``, one index of an SSA value, as
    ``llvm.GEPOp(base, [GEP_USE_SSA_VAL], element, [index], result_type,
    inbounds=True)`` builds it.
    """
    properties = {
        "rawConstantIndices": _ONE_SSA_INDEX,
        "elem_type": element,
        "noWrapFlags": integer_attr(0, i32),
        "inbounds": UnitAttr(),
    }
    return llvm.GEPOp.create(
        operands=[base, index], result_types=[result_type], properties=properties
    )


def type_suffix(type_: Attribute) -> str:
    """LLVM's name-mangling suffix for an overloaded intrinsic: f32, v16f32, i64."""
    if isinstance(type_, VectorType):
        width = type_.get_shape()[0]  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        return f"v{width}{type_suffix(type_.element_type)}"  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    if isinstance(type_, IntegerType):
        return f"i{type_.width.data}"
    if isinstance(type_, BFloat16Type):
        return "bf16"
    assert isinstance(type_, AnyFloat)
    return f"f{type_.bitwidth}"


def call_intrinsic(
    name: str, args: Sequence[SSAValue], result_type: Attribute, *overloads: Attribute
) -> llvm.CallIntrinsicOp:
    """A call of intrinsic ``name`` mangled for ``overloads`` (default: the result).

    ``llvm.call_intrinsic`` with the full mangled name is used rather than xDSL's
    ``llvm.intr.*`` ops: their translation declares ``llvm.exp`` without a type
    suffix, so an f32 and an f64 use in one module collide.
    """
    suffixes = ".".join(type_suffix(t) for t in (overloads or (result_type,)))
    return llvm.CallIntrinsicOp(f"{name}.{suffixes}", args, [result_type])
