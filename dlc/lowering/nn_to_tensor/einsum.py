"""nn-to-tensor pattern for ``nn.einsum``: one compute that sums products.

The output letters are the compute's output dims and the summed letters its
reduction dims (``reduce add``, in order of first appearance); the body reads each
operand at the indices of its letters and multiplies the values. A letter repeated
in one operand reads it twice at the same index, which is its diagonal; a size-1
dim under a wider ``...`` is read at 0::

    %c = nn.einsum %a, %b {equation = "ij,jk->ik"}
        : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>

becomes::

    %c = tensor.compute (%i, %k) reduce add (%j) in [3] init 0.0
        : tensor<2x4xf32> {
      %0 = tensor.read %a[%i, %j] : tensor<2x3xf32>
      %1 = tensor.read %b[%j, %k] : tensor<3x4xf32>
      %2 = arith.mulf %0, %1 : f32
      tensor.yield %2 : f32
    }

An einsum with nothing to sum is a compute without reduction (a transpose, a
diagonal, an outer product).
"""

from __future__ import annotations

from xdsl.dialects import arith
from xdsl.ir import SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import einsum as nn
from dlc.dialects.tensor import ComputeOp, ReadOp
from dlc.lowering.nn_to_tensor.common import Scalar, index_constant, shape_of
from dlc.lowering.nn_to_tensor.indexing import name_indices


def _index_name(label: str) -> str:
    """``i`` for a letter, ``e0`` for the first broadcast dim of ``...``."""
    return label.replace(nn.ELLIPSIS, "e")


class EinsumToTensorPattern(RewritePattern):
    """``nn.einsum`` -> one compute, reducing with add over the summed letters."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.EinsumOp, rewriter: PatternRewriter) -> None:
        einsum = op.einsum()
        labels = (*einsum.output_labels, *einsum.summed_labels)

        def body(*indices: SSAValue) -> Scalar:
            name_indices(indices, [_index_name(label) for label in labels])
            index_of = dict(zip(labels, indices, strict=True))
            product: Scalar | None = None
            for operand, operand_labels in zip(
                op.inputs, einsum.operand_labels, strict=True
            ):
                point = [
                    index_constant(0).result
                    if size == 1 and einsum.sizes[label] != 1
                    else index_of[label]
                    for label, size in zip(
                        operand_labels, shape_of(operand), strict=True
                    )
                ]
                value = ReadOp(operand, point)
                product = value if product is None else arith.MulfOp(product, value)
            assert product is not None
            return product

        summed = [einsum.sizes[label] for label in einsum.summed_labels]
        compute = ComputeOp.from_callable(op.result.type, body, reduce_extents=summed)
        rewriter.replace(op, compute)


EINSUM_PATTERNS: list[RewritePattern] = [EinsumToTensorPattern()]
