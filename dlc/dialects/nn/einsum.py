"""``nn.einsum``: Einstein summation over one or more tensors, as ONNX's Einsum.

The equation names each operand dim with a letter; letters missing from the output
are summed over, and a letter repeated within one operand reads its diagonal::

    %c = nn.einsum %a, %b {equation = "bij,bjk->bik"}
        : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
    %t = nn.einsum %m {equation = "ii"} : (tensor<3x3xf32>) -> tensor<f32>

Without ``->`` (the implicit form) the output is the letters that appear once in
the whole equation, in alphabetical (ASCII) order. ``...`` stands for the dims a
term does not name; those of all operands broadcast like numpy, and come first in
an implicit output (an explicit output must place them). Spaces are ignored.
Unlike numpy, a letter must have the same size wherever it appears (ONNX asks
this), so size-1 broadcasting happens only within ``...``.

The equation is checked against the operand shapes by :func:`read_einsum`, which
the verifier, the reference interpreter and the lowering share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from xdsl.dialects.builtin import StringAttr, TensorType
from xdsl.ir import Attribute
from xdsl.irdl import irdl_op_definition, prop_def, result_def, var_operand_def
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import (
    OPERANDS_FORMAT,
    NNOp,
    Shape,
    as_float_tensor,
    broadcast_shapes,
    describe,
    same_element_type,
    shape_of,
    tensor_of,
)

ELLIPSIS = "..."


@dataclass(frozen=True)
class Einsum:
    """An equation resolved against its operands' shapes.

    Every dim gets a label: its letter, or ``"...0"``, ``"...1"``, ... for the
    broadcast dims of ``...`` (numbered like the dims of their broadcast shape, so
    that an operand with fewer of them takes the last ones). A label has one
    ``size``; an operand dim of size 1 under a larger ``...`` label is broadcast.
    """

    equation: str
    """The equation without spaces, in the form numpy's einsum accepts."""
    operand_labels: tuple[tuple[str, ...], ...]
    output_labels: tuple[str, ...]
    summed_labels: tuple[str, ...]
    """The labels not in the output, in order of first appearance."""
    sizes: Mapping[str, int]

    @property
    def output_shape(self) -> Shape:
        return tuple(self.sizes[label] for label in self.output_labels)


def read_einsum(op_name: str, equation: str, shapes: Sequence[Shape]) -> Einsum:
    """Parse ``equation`` and check it against ``shapes``; raise VerifyException."""
    text = "".join(equation.split())
    written, arrow, output_term = text.partition("->")
    terms = written.split(",")
    if "->" in output_term:
        raise VerifyException(f'{op_name}: equation "{equation}" has "->" twice')
    for term in [*terms, output_term]:
        _check_term(op_name, equation, term)
    if len(terms) != len(shapes):
        raise VerifyException(
            f'{op_name}: equation "{equation}" has {len(terms)} input terms but the '
            f"op has {len(shapes)} operands"
        )
    operand_labels: list[tuple[str, ...]] = []
    ellipsis_shapes: list[Shape] = []
    for number, (term, shape) in enumerate(zip(terms, shapes, strict=True)):
        letters = term.replace(ELLIPSIS, "")
        if ELLIPSIS in term and len(letters) > len(shape):
            raise VerifyException(
                f"{op_name}: term '{term}' of operand {number} names "
                f"{len(letters)} dims besides '...' but the operand has rank "
                f"{len(shape)}"
            )
        if ELLIPSIS not in term and len(letters) != len(shape):
            raise VerifyException(
                f"{op_name}: term '{term}' of operand {number} names {len(letters)} "
                f"dims but the operand has rank {len(shape)}"
            )
        before = term.index(ELLIPSIS) if ELLIPSIS in term else len(term)
        ellipsis_shapes.append(shape[before : len(shape) - (len(letters) - before)])
    broadcast: Shape = ()
    for ellipsis_shape in ellipsis_shapes:
        joined = broadcast_shapes(broadcast, ellipsis_shape)
        if joined is None:
            listed = ", ".join(str(list(s)) for s in ellipsis_shapes)
            raise VerifyException(
                f"{op_name}: the dims under '...' do not broadcast: {listed}"
            )
        broadcast = joined
    ellipsis_labels = tuple(f"{ELLIPSIS}{d}" for d in range(len(broadcast)))
    sizes: dict[str, int] = dict(zip(ellipsis_labels, broadcast, strict=True))
    first_seen: dict[str, int] = {}
    for number, (term, shape) in enumerate(zip(terms, shapes, strict=True)):
        # An operand's '...' covers the last of the broadcast dims, as in numpy.
        covered = len(ellipsis_shapes[number])
        labels = _expand(term, ellipsis_labels[len(broadcast) - covered :])
        for label, size in zip(labels, shape, strict=True):
            if label.startswith(ELLIPSIS):
                continue
            if label in sizes and sizes[label] != size:
                raise VerifyException(
                    f"{op_name}: letter '{label}' has size {sizes[label]} in operand "
                    f"{first_seen[label]} but {size} in operand {number}"
                )
            sizes[label] = size
            first_seen.setdefault(label, number)
        operand_labels.append(labels)
    if arrow:
        output = _explicit_output(op_name, output_term, sizes, ellipsis_labels)
    else:
        output = _implicit_output(operand_labels, ellipsis_labels)
    seen = [label for labels in operand_labels for label in labels]
    summed = tuple(dict.fromkeys(label for label in seen if label not in output))
    return Einsum(text, tuple(operand_labels), output, summed, sizes)


def _check_term(op_name: str, equation: str, term: str) -> None:
    letters = term.replace(ELLIPSIS, "", 1)
    for char in letters:
        if not (char.isascii() and char.isalpha()):
            raise VerifyException(
                f"{op_name}: equation \"{equation}\" has '{char}' in term '{term}' "
                "(expected letters and at most one '...' per term)"
            )


def _expand(term: str, ellipsis_labels: Sequence[str]) -> tuple[str, ...]:
    """The labels of a term's dims, ``...`` replaced by ``ellipsis_labels``."""
    before, dots, after = term.partition(ELLIPSIS)
    middle = tuple(ellipsis_labels) if dots else ()
    return (*before, *middle, *after)


def _explicit_output(
    op_name: str, term: str, sizes: Mapping[str, int], ellipsis_labels: Sequence[str]
) -> tuple[str, ...]:
    letters = term.replace(ELLIPSIS, "")
    for letter in letters:
        if letter not in sizes:
            raise VerifyException(
                f"{op_name}: output letter '{letter}' appears in no input term"
            )
        if letters.count(letter) > 1:
            raise VerifyException(
                f"{op_name}: output letter '{letter}' appears more than once in "
                f"'{term}'"
            )
    if ELLIPSIS not in term and ellipsis_labels:
        raise VerifyException(
            f"{op_name}: the output '{term}' must contain '...', which stands for "
            f"{len(ellipsis_labels)} broadcast dims of the inputs"
        )
    return _expand(term, ellipsis_labels)


def _implicit_output(
    operand_labels: Sequence[Sequence[str]], ellipsis_labels: Sequence[str]
) -> tuple[str, ...]:
    """``...`` first, then the letters that appear once, in ASCII order."""
    letters = [label for labels in operand_labels for label in labels]
    once = sorted(
        label
        for label in set(letters)
        if not label.startswith(ELLIPSIS) and letters.count(label) == 1
    )
    return (*ellipsis_labels, *once)


@irdl_op_definition
class EinsumOp(NNOp):
    """Einstein summation of one or more tensors (see the module docstring)::

    %c = nn.einsum %a, %b {equation = "ij,jk->ik"}
        : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
    """

    name = "nn.einsum"

    inputs = var_operand_def(TensorType)
    result = result_def(TensorType)
    equation = prop_def(Attribute)

    assembly_format = "$inputs " + OPERANDS_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        return tensor_of(
            cls.read(operand_types, properties).output_shape,
            same_element_type(cls._inputs(operand_types), cls.name),
        )

    @classmethod
    def read(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> Einsum:
        """The equation resolved against the operand types (raises VerifyException)."""
        inputs = cls._inputs(operand_types)
        attr = properties.get("equation")
        if attr is None:
            raise VerifyException(f"{cls.name}: missing string property 'equation'")
        if not isinstance(attr, StringAttr):
            raise VerifyException(
                f"{cls.name}: property 'equation' must be a string, "
                f"got {describe(attr)}"
            )
        return read_einsum(cls.name, attr.data, [shape_of(t) for t in inputs])

    @classmethod
    def _inputs(cls, operand_types: Sequence[Attribute]) -> list[TensorType]:
        if not operand_types:
            raise VerifyException(f"{cls.name}: expected at least one input, got none")
        return [
            as_float_tensor(t, f"{cls.name} input {i}")
            for i, t in enumerate(operand_types)
        ]

    def einsum(self) -> Einsum:
        return self.read([o.type for o in self.operands], self.properties)


EINSUM_OPS = [EinsumOp]
