"""Keep each importer test's resource blobs to itself.

xDSL 0.74 keeps blobs in one process-wide table, and the importer declares one per
large weight (``w``, ``fc.weight``...). A test that later parses IR with a blob of
the same name would see it renamed (``w_0``); restoring the table after each test
keeps the other test modules independent of these.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects.builtin import Builtin


@pytest.fixture(autouse=True)
def restore_resource_blobs() -> Iterator[None]:
    blobs = Builtin.get_interface(OpAsmDialectInterface)
    assert blobs is not None
    saved = dict(blobs._blob_storage)  # pyright: ignore[reportPrivateUsage]
    yield
    blobs._blob_storage = saved  # pyright: ignore[reportPrivateUsage]
