"""dlc.export.export_onnx: onnxruntime on the exported model == dlc.interpret.

Every example model and every nn op, on small shapes with the edge cases of
docs/dialects/nn.md (broadcasting from rank 0, negative axes, ceil_mode windows,
Slice clamping, size-0 dims) and the cases nn defines where ONNX does not (integer
division by 0, float to integer casts of NaN and out-of-range values, gather
indices out of range), is run by onnxruntime on the exported model and by the
reference interpreter on the nn function.

Tolerances: integers and booleans are equal; float32 agrees to rtol = atol = 1e-5
(onnxruntime computes in float32 where the interpreter widens normalizations and
reductions to float64 and rounds once; its MLAS kernels sum in other orders and use
polynomial exp, tanh and erf), float16 to 1e-3, float64 to 1e-12. The example
models agree to rtol 1e-4, atol 1e-5.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import pytest

import dlc
from dlc.export import UnsupportedOpError, export_onnx
from dlc.export.onnx import supported_ops
from tests.example_models import EXAMPLE_MODELS, Example

Array = np.ndarray[Any, Any]
INT64_MAX = 2**63 - 1

# One nn op per case, written as in docs/dialects/nn.md with operands %a, %b, ...;
# the function around it is built from the op's types.
OP_CASES: dict[str, str] = {
    "relu": "nn.relu %a : tensor<3x5xf32>",
    "sigmoid": "nn.sigmoid %a : tensor<3x5xf32>",
    "tanh": "nn.tanh %a : tensor<17xf32>",
    "exp": "nn.exp %a : tensor<2x3xf32>",
    "log": "nn.log %a : tensor<2x3xf32>",
    "sqrt": "nn.sqrt %a : tensor<2x3xf32>",
    "rsqrt": "nn.rsqrt %a : tensor<f32>",
    "neg": "nn.neg %a : tensor<1x3xf32>",
    "leaky_relu": "nn.leaky_relu %a {alpha = 0.2} : tensor<4x8xf32>",
    "leaky_relu_default": "nn.leaky_relu %a : tensor<4x8xf32>",
    "gelu": "nn.gelu %a : tensor<8x16xf32>",
    "gelu_tanh": 'nn.gelu %a {approximate = "tanh"} : tensor<8x16xf32>',
    "clip": "nn.clip %a {min = -0.5, max = 0.75} : tensor<4x8xf32>",
    "clip_min": "nn.clip %a {min = 0.0} : tensor<4x8xf32>",
    "clip_max": "nn.clip %a {max = 0.0} : tensor<4x8xf32>",
    "clip_min_above_max": "nn.clip %a {min = 0.5, max = -0.5} : tensor<4x8xf32>",
    "erf": "nn.erf %a : tensor<4x8xf32>",
    "abs": "nn.abs %a : tensor<4x8xf32>",
    "reciprocal": "nn.reciprocal %a : tensor<4x8xf32>",
    "softplus": "nn.softplus %a : tensor<4x8xf32>",
    "hard_swish": "nn.hard_swish %a : tensor<4x8xf32>",
    "hard_sigmoid": "nn.hard_sigmoid %a {alpha = 0.25, beta = 0.4} : tensor<4x8xf32>",
    "hard_sigmoid_default": "nn.hard_sigmoid %a : tensor<4x8xf32>",
    "elu": "nn.elu %a {alpha = 0.5} : tensor<4x8xf32>",
    "selu": "nn.selu %a : tensor<4x8xf32>",
    "selu_parameters": "nn.selu %a {alpha = 1.5, gamma = 2.0} : tensor<4x8xf32>",
    "floor": "nn.floor %a : tensor<4x8xf32>",
    "ceil": "nn.ceil %a : tensor<4x8xf32>",
    "sin": "nn.sin %a : tensor<4x8xf32>",
    "cos": "nn.cos %a : tensor<4x8xf32>",
    "prelu": "nn.prelu %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> "
    "tensor<2x3x4xf32>",
    "add": "nn.add %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>",
    "sub_rank0": "nn.sub %a, %b : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>",
    "mul": "nn.mul %a, %b : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>",
    "div": "nn.div %a, %b : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>",
    "pow": "nn.pow %a, %b : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>",
    "pow_i32": "nn.pow %a, %b : (tensor<10xi32>, tensor<10xi32>) -> tensor<10xi32>",
    "maximum": "nn.maximum %a, %b : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xf32>",
    "minimum": "nn.minimum %a, %b : (tensor<3x1xf32>, tensor<1x3xf32>) -> "
    "tensor<3x3xf32>",
    "reduce_sum": "nn.reduce_sum %a {axes = array<i64: -1>, keepdims} : "
    "tensor<4x5xf32> -> tensor<4x1xf32>",
    "reduce_mean": "nn.reduce_mean %a {axes = array<i64: 2, 0>} : "
    "tensor<2x3x4xf32> -> tensor<3xf32>",
    "reduce_max": "nn.reduce_max %a {axes = array<i64: 0, 1>} : "
    "tensor<4x5xf32> -> tensor<f32>",
    "softmax": "nn.softmax %a {axis = 1} : tensor<3x10x2xf32>",
    "log_softmax": "nn.log_softmax %a : tensor<2x3x4xf32>",
    "layer_norm": "nn.layer_norm %a, %b, %c {axis = -2, epsilon = 1.0e-06} : "
    "(tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<2x8x16xf32>",
    "layer_norm_default": "nn.layer_norm %a, %b, %c : (tensor<3x7xf32>, "
    "tensor<7xf32>, tensor<7xf32>) -> tensor<3x7xf32>",
    "rms_norm": "nn.rms_norm %a, %b : (tensor<4x32xf32>, tensor<32xf32>) -> "
    "tensor<4x32xf32>",
    "rms_norm_axis": "nn.rms_norm %a, %b {axis = 1, epsilon = 0.1} : "
    "(tensor<2x3x5xf32>, tensor<3x5xf32>) -> tensor<2x3x5xf32>",
    "batch_norm": "nn.batch_norm %a, %b, %c, %d, %e : (tensor<2x3x4x4xf32>, "
    "tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> "
    "tensor<2x3x4x4xf32>",
    "batch_norm_2d": "nn.batch_norm %a, %b, %c, %d, %e {epsilon = 0.01} : "
    "(tensor<5x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, "
    "tensor<3xf32>) -> tensor<5x3xf32>",
    "matmul": "nn.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> "
    "tensor<3x5xf32>",
    "matmul_batch": "nn.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) "
    "-> tensor<2x5x3x6xf32>",
    "matmul_vector_rhs": "nn.matmul %a, %b : (tensor<3x4xf32>, tensor<4xf32>) -> "
    "tensor<3xf32>",
    "matmul_vector_lhs": "nn.matmul %a, %b : (tensor<4xf32>, tensor<2x4x5xf32>) -> "
    "tensor<2x5xf32>",
    "matmul_dot": "nn.matmul %a, %b : (tensor<7xf32>, tensor<7xf32>) -> tensor<f32>",
    "dense": "nn.dense %a, %b, %c : (tensor<4x6xf32>, tensor<6x3xf32>, "
    "tensor<3xf32>) -> tensor<4x3xf32>",
    "dense_no_bias": "nn.dense %a, %b : (tensor<2x3x16xf32>, tensor<16x8xf32>) -> "
    "tensor<2x3x8xf32>",
    "dense_vector": "nn.dense %a, %b, %c : (tensor<5xf32>, tensor<5x2xf32>, "
    "tensor<2xf32>) -> tensor<2xf32>",
    "conv2d": "nn.conv2d %a, %b, %c {padding = array<i64: 1, 1, 1, 1>} : "
    "(tensor<2x3x5x5xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> "
    "tensor<2x4x5x5xf32>",
    "conv2d_grouped_strided": "nn.conv2d %a, %b {strides = array<i64: 2, 2>, "
    "groups = 2} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x2x2xf32>",
    "conv2d_dilated_asymmetric": "nn.conv2d %a, %b, %c {padding = array<i64: 0, 2, "
    "1, 0>, dilations = array<i64: 2, 1>, strides = array<i64: 1, 2>} : "
    "(tensor<1x3x7x6xf32>, tensor<2x3x2x3xf32>, tensor<2xf32>) -> "
    "tensor<1x2x6x3xf32>",
    "conv2d_depthwise": "nn.conv2d %a, %b {groups = 3} : (tensor<1x3x4x4xf32>, "
    "tensor<3x1x3x3xf32>) -> tensor<1x3x2x2xf32>",
    "max_pool2d": "nn.max_pool2d %a {kernel = array<i64: 2, 2>, strides = "
    "array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>",
    "max_pool2d_ceil": "nn.max_pool2d %a {kernel = array<i64: 3, 3>, strides = "
    "array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode} : "
    "tensor<1x2x8x8xf32> -> tensor<1x2x5x5xf32>",
    "max_pool2d_ceil_dropped_window": "nn.max_pool2d %a {kernel = array<i64: 2, 2>, "
    "strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode} : "
    "tensor<1x1x5x5xf32> -> tensor<1x1x3x3xf32>",
    "max_pool2d_ceil_dilated": "nn.max_pool2d %a {kernel = array<i64: 2, 2>, "
    "strides = array<i64: 3, 3>, dilations = array<i64: 3, 3>, ceil_mode} : "
    "tensor<1x1x5x5xf32> -> tensor<1x1x2x2xf32>",
    "max_pool2d_dilated": "nn.max_pool2d %a {kernel = array<i64: 2, 3>, dilations = "
    "array<i64: 2, 1>, padding = array<i64: 1, 0, 0, 2>} : tensor<2x2x7x6xf32> -> "
    "tensor<2x2x6x6xf32>",
    "avg_pool2d": "nn.avg_pool2d %a {kernel = array<i64: 3, 3>, padding = "
    "array<i64: 1, 1, 1, 1>} : tensor<1x2x7x7xf32> -> tensor<1x2x7x7xf32>",
    "avg_pool2d_count_pad": "nn.avg_pool2d %a {kernel = array<i64: 3, 3>, padding = "
    "array<i64: 1, 1, 1, 1>, count_include_pad} : tensor<1x2x7x7xf32> -> "
    "tensor<1x2x7x7xf32>",
    "avg_pool2d_ceil": "nn.avg_pool2d %a {kernel = array<i64: 3, 3>, strides = "
    "array<i64: 2, 2>, padding = array<i64: 1, 0, 1, 0>, ceil_mode} : "
    "tensor<1x2x8x8xf32> -> tensor<1x2x5x4xf32>",
    "avg_pool2d_ceil_count_pad": "nn.avg_pool2d %a {kernel = array<i64: 3, 3>, "
    "strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode, "
    "count_include_pad} : tensor<1x2x8x8xf32> -> tensor<1x2x5x5xf32>",
    "avg_pool2d_dilated": "nn.avg_pool2d %a {kernel = array<i64: 2, 3>, dilations = "
    "array<i64: 2, 1>, padding = array<i64: 1, 0, 0, 2>} : tensor<2x2x7x6xf32> -> "
    "tensor<2x2x6x6xf32>",
    "avg_pool2d_dilated_count_pad": "nn.avg_pool2d %a {kernel = array<i64: 2, 3>, "
    "dilations = array<i64: 2, 1>, padding = array<i64: 1, 0, 0, 2>, "
    "count_include_pad} : tensor<2x2x7x6xf32> -> tensor<2x2x6x6xf32>",
    "avg_pool2d_ceil_dilated": "nn.avg_pool2d %a {kernel = array<i64: 2, 2>, "
    "strides = array<i64: 3, 3>, dilations = array<i64: 3, 3>, ceil_mode} : "
    "tensor<1x1x5x5xf32> -> tensor<1x1x2x2xf32>",
    "global_avg_pool2d": "nn.global_avg_pool2d %a : tensor<2x5x3x4xf32> -> "
    "tensor<2x5x1x1xf32>",
    "reshape": "nn.reshape %a {shape = array<i64: 3, 2, 2>} : tensor<4x3xf32> -> "
    "tensor<3x2x2xf32>",
    "reshape_size0": "nn.reshape %a {shape = array<i64: 3, 0>} : tensor<0x3xf32> -> "
    "tensor<3x0xf32>",
    "transpose": "nn.transpose %a {perm = array<i64: -1, 0, 1>} : tensor<2x3x4xf32> "
    "-> tensor<4x2x3xf32>",
    "flatten": "nn.flatten %a : tensor<2x3x4xf32> -> tensor<2x12xf32>",
    "flatten_axis0": "nn.flatten %a {axis = 0} : tensor<2x3x4xf32> -> tensor<1x24xf32>",
    "flatten_negative": "nn.flatten %a {axis = -1} : tensor<2x3x4xf32> -> "
    "tensor<6x4xf32>",
    "squeeze": "nn.squeeze %a {axes = array<i64: 0, -1>} : tensor<1x4x1xf32> -> "
    "tensor<4xf32>",
    "unsqueeze": "nn.unsqueeze %a {axes = array<i64: 0, -1>} : tensor<4xf32> -> "
    "tensor<1x4x1xf32>",
    "broadcast_to": "nn.broadcast_to %a {shape = array<i64: 2, 3, 4>} : "
    "tensor<3x1xf32> -> tensor<2x3x4xf32>",
    "broadcast_to_rank0": "nn.broadcast_to %a {shape = array<i64: 2, 3>} : "
    "tensor<f32> -> tensor<2x3xf32>",
    "slice": "nn.slice %a {starts = array<i64: 1>, ends = array<i64: 100>, axes = "
    "array<i64: -1>} : tensor<2x5xf32> -> tensor<2x4xf32>",
    "slice_reverse": "nn.slice %a {starts = array<i64: -1>, ends = array<i64: -9>, "
    "steps = array<i64: -1>} : tensor<8xf32> -> tensor<8xf32>",
    "slice_extremes": f"nn.slice %a {{starts = array<i64: {INT64_MAX}, 0>, ends = "
    f"array<i64: -{INT64_MAX}, {INT64_MAX}>, axes = array<i64: 1, 0>, steps = "
    "array<i64: -2, 3>} : tensor<7x6xf32> -> tensor<3x3xf32>",
    "slice_empty": "nn.slice %a {starts = array<i64: 3>, ends = array<i64: 1>} : "
    "tensor<5x2xf32> -> tensor<0x2xf32>",
    "pad": "nn.pad %a {pads = array<i64: 1, 1>, value = -1.0} : tensor<3xf32> -> "
    "tensor<5xf32>",
    "pad_zero": "nn.pad %a {pads = array<i64: 0, 2, 1, 0>} : tensor<2x3xf32> -> "
    "tensor<3x5xf32>",
    "pad_edge": 'nn.pad %a {pads = array<i64: 2, 0, 1, 3>, mode = "edge"} : '
    "tensor<2x3xf32> -> tensor<5x6xf32>",
    "pad_reflect": 'nn.pad %a {pads = array<i64: 0, 1, 0, 2>, mode = "reflect"} : '
    "tensor<2x3xf32> -> tensor<2x6xf32>",
    "pad_rank0": "nn.pad %a {pads = array<i64>} : tensor<f32> -> tensor<f32>",
    "concat": "nn.concat %a, %b, %c {axis = -1} : (tensor<2x3xf32>, tensor<2x5xf32>, "
    "tensor<2x1xf32>) -> tensor<2x9xf32>",
    "concat_single": "nn.concat %a {axis = 0} : (tensor<2x3xf32>) -> tensor<2x3xf32>",
    "einsum": 'nn.einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, '
    "tensor<2x4x5xf32>) -> tensor<2x3x5xf32>",
    "einsum_trace": 'nn.einsum %a {equation = "ii"} : (tensor<3x3xf32>) -> tensor<f32>',
    "einsum_implicit": 'nn.einsum %a, %b {equation = "ij, jk"} : (tensor<2x3xf32>, '
    "tensor<3x4xf32>) -> tensor<2x4xf32>",
    "einsum_ellipsis": 'nn.einsum %a, %b {equation = "...ij,...jk->...ik"} : '
    "(tensor<2x1x2x3xf32>, tensor<4x3x2xf32>) -> tensor<2x4x2x2xf32>",
    "einsum_ellipsis_empty": 'nn.einsum %a, %b {equation = "...i,i...->..."} : '
    "(tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>",
    "einsum_upper": 'nn.einsum %a, %b {equation = "iJ,Jk->ki"} : (tensor<2x3xf32>, '
    "tensor<3x4xf32>) -> tensor<4x2xf32>",
    "lrn": "nn.lrn %a {size = 3, alpha = 0.1, beta = 0.5, bias = 2.0} : "
    "tensor<2x5x3x3xf32>",
    "lrn_rank3": "nn.lrn %a {size = 3} : tensor<2x4x3xf32>",
    "lrn_tiny_alpha": "nn.lrn %a {size = 3, alpha = 1.0e-200} : tensor<1x4x2x2xf32>",
    "lrn_even": "nn.lrn %a {size = 4, alpha = 0.5} : tensor<1x6x2xf32>",
    "lrn_even_wide": "nn.lrn %a {size = 8, bias = 1.5} : tensor<2x3x2x2xf64>",
    "tile": "nn.tile %a {repeats = array<i64: 2, 1, 3>} : tensor<2x3x4xf32> -> "
    "tensor<4x3x12xf32>",
    "tile_rank0": "nn.tile %a {repeats = array<i64>} : tensor<f32> -> tensor<f32>",
    "equal": "nn.equal %a, %b : (tensor<4x1xi32>, tensor<3xi32>) -> tensor<4x3xi1>",
    "equal_bool": "nn.equal %a, %b : (tensor<5xi1>, tensor<5xi1>) -> tensor<5xi1>",
    "less": "nn.less %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xi1>",
    "less_equal": "nn.less_equal %a, %b : (tensor<6xi64>, tensor<6xi64>) -> "
    "tensor<6xi1>",
    "greater": "nn.greater %a, %b : (tensor<6xi8>, tensor<i8>) -> tensor<6xi1>",
    "greater_equal": "nn.greater_equal %a, %b : (tensor<2x3xf64>, tensor<3xf64>) -> "
    "tensor<2x3xi1>",
    "not": "nn.not %a : tensor<7xi1>",
    "and": "nn.and %a, %b : (tensor<4x1xi1>, tensor<3xi1>) -> tensor<4x3xi1>",
    "or": "nn.or %a, %b : (tensor<4x1xi1>, tensor<3xi1>) -> tensor<4x3xi1>",
    "xor": "nn.xor %a, %b : (tensor<4x1xi1>, tensor<3xi1>) -> tensor<4x3xi1>",
    "where": "nn.where %a, %b, %c : (tensor<3xi1>, tensor<2x1xf32>, tensor<f32>) -> "
    "tensor<2x3xf32>",
    "where_int": "nn.where %a, %b, %c : (tensor<2x3xi1>, tensor<3xi64>, "
    "tensor<2x1xi64>) -> tensor<2x3xi64>",
    "where_bool": "nn.where %a, %b, %c : (tensor<4x1xi1>, tensor<3xi1>, "
    "tensor<4x3xi1>) -> tensor<4x3xi1>",
    "cast_f32_i32": "nn.cast %a : tensor<12xf32> -> tensor<12xi32>",
    "cast_f64_i64": "nn.cast %a : tensor<12xf64> -> tensor<12xi64>",
    "cast_f16_i8": "nn.cast %a : tensor<12xf16> -> tensor<12xi8>",
    "cast_f32_i1": "nn.cast %a : tensor<12xf32> -> tensor<12xi1>",
    "cast_i64_i8": "nn.cast %a : tensor<4x3xi64> -> tensor<4x3xi8>",
    "cast_i32_f16": "nn.cast %a : tensor<4x3xi32> -> tensor<4x3xf16>",
    "cast_i1_f32": "nn.cast %a : tensor<4x3xi1> -> tensor<4x3xf32>",
    "cast_f64_f32": "nn.cast %a : tensor<4x3xf64> -> tensor<4x3xf32>",
    "gather": "nn.gather %a, %b {axis = -1} : (tensor<3x5xf32>, tensor<i32>) -> "
    "tensor<3xf32>",
    "gather_clamped": "nn.gather %a, %b {axis = 1} : (tensor<2x5x2xf32>, "
    "tensor<3x4xi64>) -> tensor<2x3x4x2xf32>",
    "gather_int": "nn.gather %a, %b : (tensor<4x3xi8>, tensor<5xi32>) -> "
    "tensor<5x3xi8>",
    "add_i8": "nn.add %a, %b : (tensor<4x3xi8>, tensor<3xi8>) -> tensor<4x3xi8>",
    "sub_i32": "nn.sub %a, %b : (tensor<4x3xi32>, tensor<i32>) -> tensor<4x3xi32>",
    "mul_i64": "nn.mul %a, %b : (tensor<4x3xi64>, tensor<4x1xi64>) -> tensor<4x3xi64>",
    "div_i8": "nn.div %a, %b : (tensor<12xi8>, tensor<12xi8>) -> tensor<12xi8>",
    "div_i32": "nn.div %a, %b : (tensor<12xi32>, tensor<12xi32>) -> tensor<12xi32>",
    "div_i64_broadcast": "nn.div %a, %b : (tensor<4x1xi64>, tensor<5xi64>) -> "
    "tensor<4x5xi64>",
    "neg_i32": "nn.neg %a : tensor<12xi32>",
    "maximum_i64": "nn.maximum %a, %b : (tensor<5xi64>, tensor<5xi64>) -> "
    "tensor<5xi64>",
    "minimum_i8": "nn.minimum %a, %b : (tensor<3x1xi8>, tensor<3xi8>) -> "
    "tensor<3x3xi8>",
    "reduce_sum_i8": "nn.reduce_sum %a {axes = array<i64: 0>} : tensor<12x3xi8> -> "
    "tensor<3xi8>",
    "reduce_sum_i64": "nn.reduce_sum %a {axes = array<i64: 1>, keepdims} : "
    "tensor<3x4xi64> -> tensor<3x1xi64>",
    "reduce_prod": "nn.reduce_prod %a {axes = array<i64: -1>} : tensor<3x4xf32> -> "
    "tensor<3xf32>",
    "reduce_prod_i8": "nn.reduce_prod %a {axes = array<i64: 0>} : tensor<9x3xi8> -> "
    "tensor<3xi8>",
    "reduce_min": "nn.reduce_min %a {axes = array<i64: 0, 2>, keepdims} : "
    "tensor<2x3x4xf32> -> tensor<1x3x1xf32>",
    "reduce_min_i32": "nn.reduce_min %a {axes = array<i64: 0>} : tensor<4x3xi32> -> "
    "tensor<3xi32>",
    "reduce_max_bool": "nn.reduce_max %a {axes = array<i64: 0>} : tensor<4x3xi1> -> "
    "tensor<3xi1>",
    "reshape_i64": "nn.reshape %a {shape = array<i64: 6>} : tensor<2x3xi64> -> "
    "tensor<6xi64>",
    "transpose_i8": "nn.transpose %a {perm = array<i64: 1, 0>} : tensor<2x3xi8> -> "
    "tensor<3x2xi8>",
    "concat_bool": "nn.concat %a, %b {axis = 0} : (tensor<2x3xi1>, tensor<1x3xi1>) "
    "-> tensor<3x3xi1>",
    "slice_i32": "nn.slice %a {starts = array<i64: 4>, ends = array<i64: 0>, steps = "
    "array<i64: -2>} : tensor<6xi32> -> tensor<2xi32>",
    "pad_i32": "nn.pad %a {pads = array<i64: 1, 2>, value = -3.0} : tensor<3xi32> -> "
    "tensor<6xi32>",
    "broadcast_to_bool": "nn.broadcast_to %a {shape = array<i64: 2, 3>} : "
    "tensor<3xi1> -> tensor<2x3xi1>",
    "hard_swish_f64": "nn.hard_swish %a : tensor<4x8xf64>",
    "gelu_tanh_f64": 'nn.gelu %a {approximate = "tanh"} : tensor<8x16xf64>',
    "layer_norm_f64": "nn.layer_norm %a, %b, %c {axis = 1} : (tensor<3x4x5xf64>, "
    "tensor<4x5xf64>, tensor<4x5xf64>) -> tensor<3x4x5xf64>",
    "elu_f64": "nn.elu %a {alpha = 0.5} : tensor<4x8xf64>",
    "selu_f64": "nn.selu %a : tensor<4x8xf64>",
    "hard_sigmoid_f64": "nn.hard_sigmoid %a {alpha = 0.5} : tensor<4x8xf64>",
    "softplus_f64": "nn.softplus %a : tensor<4x8xf64>",
    "leaky_relu_f64": "nn.leaky_relu %a {alpha = 0.3} : tensor<4x8xf64>",
    "prelu_f64": "nn.prelu %a, %b : (tensor<2x3x4xf64>, tensor<4xf64>) -> "
    "tensor<2x3x4xf64>",
    "global_avg_pool2d_f64": "nn.global_avg_pool2d %a : tensor<2x3x3x4xf64> -> "
    "tensor<2x3x1x1xf64>",
    "resize_nearest": "nn.resize %a {sizes = array<i64: 1, 2, 6, 9>} : "
    "tensor<1x2x4x3xf32> -> tensor<1x2x6x9xf32>",
    "resize_linear": 'nn.resize %a {mode = "linear", sizes = array<i64: 2, 1, 8, 5>} '
    ": tensor<2x1x4x4xf32> -> tensor<2x1x8x5xf32>",
    "resize_align_corners": 'nn.resize %a {mode = "linear", '
    'coordinate_transformation_mode = "align_corners", sizes = array<i64: 1, 1, 7, '
    "1>} : tensor<1x1x3x4xf32> -> tensor<1x1x7x1xf32>",
    "resize_asymmetric_floor": "nn.resize %a {coordinate_transformation_mode = "
    '"asymmetric", nearest_mode = "floor", sizes = array<i64: 1, 2, 3, 7>} : '
    "tensor<1x2x5x4xf32> -> tensor<1x2x3x7xf32>",
    "resize_pytorch_ceil": "nn.resize %a {coordinate_transformation_mode = "
    '"pytorch_half_pixel", nearest_mode = "ceil", sizes = array<i64: 1, 1, 1, 6>} : '
    "tensor<1x1x4x4xf32> -> tensor<1x1x1x6xf32>",
    "resize_linear_pytorch": 'nn.resize %a {mode = "linear", '
    'coordinate_transformation_mode = "pytorch_half_pixel", sizes = array<i64: 1, '
    "1, 1, 3>} : tensor<1x1x5x2xf32> -> tensor<1x1x1x3xf32>",
    "matmul_f64": "nn.matmul %a, %b : (tensor<3x4xf64>, tensor<4x5xf64>) -> "
    "tensor<3x5xf64>",
    "softmax_f64": "nn.softmax %a : tensor<3x10xf64>",
    "add_f64": "nn.add %a, %b : (tensor<4x1xf64>, tensor<3xf64>) -> tensor<4x3xf64>",
}

POSITIVE = {"log", "sqrt", "rsqrt", "pow", "batch_norm", "batch_norm_2d"}
"""Cases whose inputs must be positive (logarithms, roots, variances)."""

NAN, INF = float("nan"), float("inf")
INT32_MIN = -(2**31)
SPECIAL_INPUTS: dict[str, list[list[Any]]] = {
    # Exact powers and negative exponents (1, +-1 or 0). Not overflow: nn wraps,
    # as ONNX's reference (numpy) does; onnxruntime goes through double and clamps.
    "pow_i32": [
        [3, -2, 0, 7, 5, 1, -1, -1, 2, -3],
        [4, 3, 5, 0, 13, -2, -3, -4, -1, 19],
    ],
    # Truncation toward zero, saturation beyond the range (2**31 is the first f32
    # above it), NaN to 0.
    "cast_f32_i32": [
        [NAN, INF, -INF, 3e9, -3e9, 2.7, -2.7, 2**31, -(2**31), 2147483520.0, -0.9, 0]
    ],
    "cast_f64_i64": [
        [NAN, 1e19, -1e19, 2.0**63, -(2.0**63), 9.2e18, -0.5, 7.99, -7.99, 0, INF, -INF]
    ],
    "cast_f16_i8": [
        [127.5, 128, -128.9, -129, 300, NAN, -INF, INF, 5.5, -5.5, 0.25, -127]
    ],
    "cast_f32_i1": [[NAN, 0.0, -0.0, 1e-30, -2, INF, 0, 3, -INF, 0.5, 0, 1]],
    "cast_i64_i8": [
        [[300, -129, 127], [128, -128, 2**40 + 5], [0, -1, 255], [7, 8, 9]]
    ],
    "gather_clamped": [
        np.arange(20).reshape(2, 5, 2),
        [[-7, -5, -1, 0], [4, 5, 100, -100], [2, -2, 3, 1]],
    ],
    "div_i8": [
        [-128, -128, 127, -7, 7, -7, 0, 5, 100, -100, 1, 3],
        [-1, 1, -1, 2, -2, -2, 0, 0, 3, 7, 0, -3],
    ],
    "div_i32": [
        [INT32_MIN, INT32_MIN, 2**31 - 1, -7, 7, -7, 0, 5, 100, -100, 1, 3],
        [-1, 1, -1, 2, -2, -2, 0, 0, 3, 7, 0, -3],
    ],
    "neg_i32": [[INT32_MIN, -1, 0, 1, 2**31 - 1, 5, -5, 7, 8, 9, 10, 11]],
    "add_i8": [
        [[100, -100, 127], [-128, 0, 1], [50, 60, 70], [-1, -2, -3]],
        [100, -100, 1],
    ],
}
"""Inputs written out for cases about edge values."""

WHOLE_FUNCTIONS: dict[str, str] = {
    "constants": """
    func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
      %s = nn.constant dense<1.250000e-01> : tensor<f32>
      %c = nn.constant dense<[1.0, -2.0, 3.5]> : tensor<3xf32>
      %w = nn.constant dense_resource<export_test_w> : tensor<3xf32>
      %a = nn.mul %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
      %b = nn.add %a, %c : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      %r = nn.sub %b, %w : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      func.return %r : tensor<2x3xf32>
    }
    {-#
      dialect_resources: {
        builtin: {
          export_test_w: "0x040000000000803F00000040000040C0"
        }
      }
    #-}
    """,
    "integer_and_boolean_constants": """
    func.func @f(%x: tensor<3xi32>, %m: tensor<3xi1>) -> (tensor<3xi32>, tensor<3xi1>) {
      %c = nn.constant dense<[1, -2, 2147483647]> : tensor<3xi32>
      %t = nn.constant dense<[true, false, true]> : tensor<3xi1>
      %s = nn.add %x, %c : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
      %a = nn.and %m, %t : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
      func.return %s, %a : tensor<3xi32>, tensor<3xi1>
    }
    """,
    # ONNX's shape inference keeps the ceil_mode window nn drops; onnxruntime then
    # reused a buffer of the wrong size for the relu.
    "ceil_mode_pool_beside_other_ops": """
    func.func @f(%x: tensor<1x1x2x1xf32>)
        -> (tensor<1x1x1x1xf32>, tensor<1x1x2x1xf32>) {
      %p = nn.max_pool2d %x {kernel = array<i64: 1, 1>, strides = array<i64: 3, 3>,
                             ceil_mode} : tensor<1x1x2x1xf32> -> tensor<1x1x1x1xf32>
      %r = nn.relu %x : tensor<1x1x2x1xf32>
      func.return %p, %r : tensor<1x1x1x1xf32>, tensor<1x1x2x1xf32>
    }
    """,
    "several_results_and_an_argument": """
    func.func @f(%x: tensor<3xf32>, %y: tensor<3xf32>)
        -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
      %r = nn.relu %x : tensor<3xf32>
      func.return %r, %y, %r : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
    }
    """,
}


def function_text(line: str) -> str:
    """``func.func @f`` taking the operands of the one-op ``line`` and returning it.

    The operand and result types are read from the op's written type: ``(A, B) ->
    R``, ``A -> R``, or a single ``T`` for both.
    """
    head, written = line.rsplit(" : ", 1)
    operands = re.findall(r"%\w+", head.split("{")[0])
    if written.startswith("("):
        listed, result = written[1:].split(") -> ")
        types = listed.split(", ")
    elif " -> " in written:
        source, result = written.split(" -> ")
        types = [source]
    else:
        types, result = [written], written
    arguments = ", ".join(f"{o}: {t}" for o, t in zip(operands, types, strict=True))
    return f"""
    func.func @f({arguments}) -> {result} {{
      %r = {line}
      func.return %r : {result}
    }}
    """


DTYPES = {
    "f16": np.float16,
    "f32": np.float32,
    "f64": np.float64,
    "i1": np.bool_,
    "i8": np.int8,
    "i32": np.int32,
    "i64": np.int64,
}


def random_inputs(
    module: Any, seed: int, positive: bool, special: list[list[Any]] | None = None
) -> list[Array]:
    """Normal floats (or in [0.5, 2)), random booleans, integers in [-5, 5] (so
    that equal values, zeros and -1 divisors occur); or the ``special`` values."""
    function = next(iter(module.ops))
    rng = np.random.default_rng(seed)
    arrays: list[Array] = []
    for index, arg_type in enumerate(function.function_type.inputs.data):
        shape = tuple(arg_type.get_shape())
        dtype = np.dtype(DTYPES[str(arg_type.element_type)])
        if special is not None:
            values = np.array(special[index], dtype=np.float64)
            if dtype.kind in "iu":
                values = np.array(special[index], dtype=np.int64)
        elif dtype == np.bool_:
            values = rng.random(shape) < 0.5
        elif dtype.kind == "i":
            values = rng.integers(-5, 6, shape)
        elif positive:
            values = rng.uniform(0.5, 2.0, shape)
        else:
            values = rng.standard_normal(shape)
        arrays.append(values.astype(dtype).reshape(shape))
    return arrays


def run_onnxruntime(model: onnx.ModelProto, inputs: list[Array]) -> list[Array]:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    feeds = {i.name: a for i, a in zip(session.get_inputs(), inputs, strict=True)}
    return session.run(None, feeds)


def assert_same_results(module: Any, inputs: list[Array]) -> None:
    expected = dlc.interpret(module, "f", *inputs)
    expected = expected if isinstance(expected, tuple) else (expected,)
    got = run_onnxruntime(export_onnx(module), inputs)
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert g.dtype == e.dtype and g.shape == e.shape
        if e.dtype.kind == "f":
            tolerance = TOLERANCES[e.dtype.type]
            np.testing.assert_allclose(g, e, rtol=tolerance, atol=tolerance)
        else:
            np.testing.assert_array_equal(g, e)


TOLERANCES = {np.float16: 1e-3, np.float32: 1e-5, np.float64: 1e-12}


@pytest.mark.parametrize("case", OP_CASES)
def test_op_matches_the_interpreter(case: str):
    module = dlc.parse(function_text(OP_CASES[case]))
    inputs = random_inputs(module, 0, case in POSITIVE, SPECIAL_INPUTS.get(case))
    assert_same_results(module, inputs)


@pytest.mark.parametrize("case", WHOLE_FUNCTIONS)
def test_function_matches_the_interpreter(case: str):
    module = dlc.parse(WHOLE_FUNCTIONS[case])
    assert_same_results(module, random_inputs(module, 1, positive=False))


@pytest.mark.parametrize("example", EXAMPLE_MODELS, ids=lambda e: e.name)
def test_example_model_matches_the_interpreter(example: Example):
    module = dlc.parse(example.text)
    inputs = [a.astype(np.float32) for a in example.inputs(np.random.default_rng(0))]
    expected = dlc.interpret(module, example.name, *inputs)
    (got,) = run_onnxruntime(export_onnx(module), inputs)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


def test_every_nn_op_has_a_converter_and_a_case():
    from dlc.dialects.nn import NN_OPS

    missing = sorted({op.name for op in NN_OPS} - set(supported_ops()))
    assert not missing, f"nn ops without an ONNX converter: {missing}"
    tested = {line.split()[0] for line in OP_CASES.values()} | {"nn.constant"}
    untested = sorted(set(supported_ops()) - tested)
    assert not untested, f"converters without a case in OP_CASES: {untested}"


def test_arguments_keep_their_names_and_constants_become_initializers():
    model = export_onnx(dlc.parse(WHOLE_FUNCTIONS["constants"]))
    assert [i.name for i in model.graph.input] == ["x"]
    assert [o.name for o in model.graph.output] == ["output0"]
    assert {i.name for i in model.graph.initializer} >= {"s", "c", "w"}


def test_an_op_without_converter_is_named():
    module = dlc.parse(
        """
        func.func @g(%x: tensor<3xf32>) -> tensor<3xf32> {
          %r = nn.relu %x : tensor<3xf32>
          func.return %r : tensor<3xf32>
        }
        func.func @f(%x: tensor<3xf32>) -> tensor<3xf32> {
          %r = func.call @g(%x) : (tensor<3xf32>) -> tensor<3xf32>
          func.return %r : tensor<3xf32>
        }
        """
    )
    with pytest.raises(UnsupportedOpError, match=r"func\.call has no ONNX converter"):
        export_onnx(module, "f")
