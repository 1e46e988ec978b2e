"""The ONNX node tests dlc does not pass yet, and why: case name -> reason.

tests/onnx/test_node_suite.py marks each of these ``xfail(strict=True)``, so a case
that starts passing fails the suite until its entry is removed here, and
``bench/onnx_node_table.py`` counts them as xfail. Reasons come in two kinds: what
the importer reports as unsupported (its own words, shortened), and what issue #4
allows to stay unsupported (training mode, extra outputs). Every entry must be a
selected, non-excluded case (checked by the suite).
"""

from __future__ import annotations

TRAINING = "training mode (dlc imports models for inference)"
BATCHNORM_TRAINING = "BatchNormalization training_mode = 1: " + TRAINING
DROPOUT_TRAINING = "Dropout training_mode = true: " + TRAINING
DROPOUT_MASK = "extra output: Dropout's mask is not supported"
MAXPOOL_INDICES = "extra output: MaxPool's Indices (argmax) is not supported"
LAYER_NORM_STATS = (
    "extra outputs: LayerNormalization's Mean and InvStdDev are not supported"
)
POOL_3D = "3-D pooling: the importer supports 1-D and 2-D"
AVERAGE_POOL_DILATIONS = "AveragePool dilations: nn.avg_pool2d has none"
POW_INTEGER_BASE = "nn.pow takes float operands only; this case has an integer base"
CLIP_MIN_ABOVE_MAX = (
    "nn.clip rejects min > max; ONNX defines the result as max (min(max(x, lo), hi))"
)
STRINGS = "string tensors: dlc tensors hold numbers and booleans"
NOT_A_TENSOR = "sequence and optional values: dlc functions take tensors"
PAD_WRAP = "Pad mode 'wrap' is not supported (constant, edge, reflect are)"
RANGE_LOOP_FOLD = (
    "importer bug: folding the expanded Range's Loop at import time fails "
    "(its body reads the outer-scope 'delta', which the evaluator is not given)"
)

XFAILS: dict[str, str] = {
    # Tier 1
    "test_averagepool_2d_dilations": AVERAGE_POOL_DILATIONS,
    "test_averagepool_3d_default": POOL_3D,
    "test_averagepool_3d_dilations_large_count_include_pad_is_0_ceil_mode_is_False": (
        POOL_3D
    ),
    "test_averagepool_3d_dilations_large_count_include_pad_is_0_ceil_mode_is_True": (
        POOL_3D
    ),
    "test_averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_False": (
        POOL_3D
    ),
    "test_averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_True": (
        POOL_3D
    ),
    "test_averagepool_3d_dilations_small": POOL_3D,
    "test_batchnorm_epsilon_training_mode": BATCHNORM_TRAINING,
    "test_batchnorm_example_training_mode": BATCHNORM_TRAINING,
    "test_clip_min_greater_than_max": CLIP_MIN_ABOVE_MAX,
    "test_layer_normalization_2d_axis0": LAYER_NORM_STATS,
    "test_layer_normalization_2d_axis1": LAYER_NORM_STATS,
    "test_layer_normalization_2d_axis_negative_1": LAYER_NORM_STATS,
    "test_layer_normalization_2d_axis_negative_2": LAYER_NORM_STATS,
    "test_layer_normalization_3d_axis0_epsilon": LAYER_NORM_STATS,
    "test_layer_normalization_3d_axis1_epsilon": LAYER_NORM_STATS,
    "test_layer_normalization_3d_axis2_epsilon": LAYER_NORM_STATS,
    "test_layer_normalization_3d_axis_negative_1_epsilon": LAYER_NORM_STATS,
    "test_layer_normalization_3d_axis_negative_2_epsilon": LAYER_NORM_STATS,
    "test_layer_normalization_3d_axis_negative_3_epsilon": LAYER_NORM_STATS,
    "test_layer_normalization_4d_axis0": LAYER_NORM_STATS,
    "test_layer_normalization_4d_axis1": LAYER_NORM_STATS,
    "test_layer_normalization_4d_axis2": LAYER_NORM_STATS,
    "test_layer_normalization_4d_axis3": LAYER_NORM_STATS,
    "test_layer_normalization_4d_axis_negative_1": LAYER_NORM_STATS,
    "test_layer_normalization_4d_axis_negative_2": LAYER_NORM_STATS,
    "test_layer_normalization_4d_axis_negative_3": LAYER_NORM_STATS,
    "test_layer_normalization_4d_axis_negative_4": LAYER_NORM_STATS,
    "test_layer_normalization_default_axis": LAYER_NORM_STATS,
    "test_maxpool_3d_default": POOL_3D,
    "test_maxpool_3d_dilations": POOL_3D,
    "test_maxpool_3d_dilations_use_ref_impl": POOL_3D,
    "test_maxpool_3d_dilations_use_ref_impl_large": POOL_3D,
    "test_maxpool_with_argmax_2d_precomputed_pads": MAXPOOL_INDICES,
    "test_maxpool_with_argmax_2d_precomputed_strides": MAXPOOL_INDICES,
    "test_pow_types_int32_float32": POW_INTEGER_BASE,
    "test_pow_types_int32_int32": POW_INTEGER_BASE,
    "test_pow_types_int64_float32": POW_INTEGER_BASE,
    "test_pow_types_int64_int64": POW_INTEGER_BASE,
    # Tier 2
    "test_dropout_default_mask": DROPOUT_MASK,
    "test_dropout_default_mask_ratio": DROPOUT_MASK,
    "test_equal_string": STRINGS,
    "test_equal_string_broadcast": STRINGS,
    "test_identity_opt": NOT_A_TENSOR,
    "test_identity_sequence": NOT_A_TENSOR,
    "test_training_dropout": DROPOUT_TRAINING,
    "test_training_dropout_default": DROPOUT_TRAINING,
    "test_training_dropout_default_mask": DROPOUT_TRAINING,
    "test_training_dropout_mask": DROPOUT_TRAINING,
    "test_training_dropout_zero_ratio": DROPOUT_TRAINING,
    "test_training_dropout_zero_ratio_mask": DROPOUT_TRAINING,
    "test_wrap_pad": PAD_WRAP,
    # Tier 2, expanded
    "test_range_float_type_positive_delta_expanded": RANGE_LOOP_FOLD,
    "test_range_int32_type_negative_delta_expanded": RANGE_LOOP_FOLD,
}
