"""Collect every ``filecheck/**/*.mlir`` file as its own pytest item; skip the
tests marked ``slow`` unless ``--run-slow`` is given.

The files are lit tests (``// RUN:`` lines piping ``dlc-opt`` into ``filecheck``).
lit runs them all once, in parallel, the first time one of their items runs; each
item then reports its own file's verdict and output.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).parent
FILECHECK_DIR = ROOT / "filecheck"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow",
        action="store_true",
        help="also run the tests marked slow (whole models that take minutes)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: takes minutes; skipped unless pytest --run-slow"
    )


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)


def pytest_collect_file(
    parent: pytest.Collector, file_path: Path
) -> pytest.File | None:
    if file_path.suffix == ".mlir" and FILECHECK_DIR in file_path.parents:
        if "Inputs" not in file_path.parts:
            return LitFile.from_parent(parent, path=file_path)
    return None


class LitFile(pytest.File):
    def collect(self):  # type: ignore[override]
        yield LitItem.from_parent(self, name=self.path.name)


class LitResults:
    """lit's verdicts for every collected FileCheck file, computed once."""

    verdicts: dict[Path, tuple[bool, str]] | None = None

    @classmethod
    def get(cls, session: pytest.Session) -> dict[Path, tuple[bool, str]]:
        if cls.verdicts is None:
            paths = [item.path for item in session.items if isinstance(item, LitItem)]
            cls.verdicts = run_lit(paths)
        return cls.verdicts


def run_lit(paths: list[Path]) -> dict[Path, tuple[bool, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "lit.xml"
        command = [
            sys.executable,
            "-c",
            "from lit.main import main; main()",
            "-q",
            f"-j{os.cpu_count() or 1}",
            f"--xunit-xml-output={report}",
            *map(str, paths),
        ]
        run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        if not report.exists():
            raise LitFailure(f"lit did not run:\n{run.stdout}\n{run.stderr}")
        tree = ET.parse(report)
    verdicts: dict[Path, tuple[bool, str]] = {}
    for case in tree.iter("testcase"):
        # lit reports a file as classname "<suite>.<dir>/<dir>" and name "<file>"
        name = case.get("name", "")
        classname = case.get("classname", "")
        failure = case.find("failure")
        skipped = case.find("skipped")
        output = failure.text if failure is not None and failure.text else ""
        for path in paths:
            folder = "/".join(path.relative_to(FILECHECK_DIR).parent.parts)
            if name == path.name and classname.endswith(folder):
                verdicts[path] = (failure is None and skipped is None, output)
    return verdicts


class LitItem(pytest.Item):
    def runtest(self) -> None:
        verdicts = LitResults.get(self.session)
        if self.path not in verdicts:
            raise LitFailure(f"lit produced no result for {self.path}")
        ok, output = verdicts[self.path]
        if not ok:
            raise LitFailure(output)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, LitFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)  # type: ignore[return-value]

    def reportinfo(self):  # type: ignore[override]
        return self.path, None, f"lit: {self.path.relative_to(ROOT)}"


class LitFailure(Exception):
    pass
