"""The reference interpreter on elementwise nn ops, against hand-written numpy."""

import numpy as np

from tests.support import random_array, run_function


def test_add_broadcasts_like_numpy_and_relu_clamps_negatives():
    text = """
    func.func @f(%a: tensor<4x1xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
      %0 = nn.add %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>
      %1 = nn.relu %0 : tensor<4x3xf32>
      func.return %1 : tensor<4x3xf32>
    }
    """
    rng = np.random.default_rng(0)
    a, b = random_array(rng, (4, 1)), random_array(rng, (3,))
    out = run_function(text, a, b)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, np.maximum(a + b, 0))
