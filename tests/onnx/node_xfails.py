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
DROPOUT_TRAINING = "Dropout training_mode = true, ratio above 0 (random): " + TRAINING
MAXPOOL_INDICES = "extra output: MaxPool's Indices (argmax) is not supported"
STRINGS = "string tensors: dlc tensors hold numbers and booleans"
NOT_A_TENSOR = "sequence and optional values: dlc functions take tensors"

XFAILS: dict[str, str] = {
    # Tier 1
    "test_maxpool_with_argmax_2d_precomputed_pads": MAXPOOL_INDICES,
    "test_maxpool_with_argmax_2d_precomputed_strides": MAXPOOL_INDICES,
    # Tier 2
    "test_equal_string": STRINGS,
    "test_equal_string_broadcast": STRINGS,
    "test_identity_opt": NOT_A_TENSOR,
    "test_identity_sequence": NOT_A_TENSOR,
    "test_training_dropout": DROPOUT_TRAINING,
    "test_training_dropout_default": DROPOUT_TRAINING,
    "test_training_dropout_default_mask": DROPOUT_TRAINING,
    "test_training_dropout_mask": DROPOUT_TRAINING,
}
