"""lit configuration for dlc's FileCheck tests; pytest runs it (see conftest.py)."""

import os
import sys

import lit.formats

config.name = "dlc"  # noqa: F821
config.test_format = lit.formats.ShTest(execute_external=False)  # noqa: F821
config.suffixes = [".mlir"]  # noqa: F821
config.test_source_root = os.path.dirname(__file__)  # noqa: F821
config.excludes = ["Inputs"]  # noqa: F821

# dlc-opt and filecheck live next to the Python that runs lit.
bin_dir = os.path.dirname(sys.executable)
config.environment["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")  # noqa: F821
# A PYTHONPATH set by the caller (testing a checkout other than the installed one)
# reaches dlc-opt too.
if "PYTHONPATH" in os.environ:
    config.environment["PYTHONPATH"] = os.environ["PYTHONPATH"]  # noqa: F821
