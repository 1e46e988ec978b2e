"""The ONNX node-test pass table: which Tier 1 / Tier 2 cases dlc passes, per op.

    python bench/onnx_node_table.py [--output table.md] [--only REGEX] [--errors]

Runs the selection of tests/onnx/test_node_suite.py, every case the way its pytest
item does (import, compile, run, compare with the runner's tolerances), and writes
markdown: one row per op (its cases, passed, xfail, failed, pass rate) for the
plain cases and for the ``_expanded`` ones, the totals per tier, the cases excluded
by element type (issue #4), every xfail with its reason from
tests/onnx/node_xfails.py, and every failure with its error. A case counts as
passed when it matches, as xfail when it fails and is listed in the xfail table,
as failed otherwise; a listed case that passes is counted as passed and named under
"Unexpected passes" (its pytest item fails until the entry is removed).
``--errors`` also prints each failure's error to stderr as it happens. Exits 1 if a
case failed or passed unexpectedly.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.onnx.node_xfails import XFAILS  # noqa: E402
from tests.onnx.test_node_suite import NodeCase, run_case, select_cases  # noqa: E402

ERROR_CHARS = 400
"""How much of a failure's message the table shows (whitespace collapsed)."""


@dataclass(frozen=True)
class Outcome:
    case: NodeCase
    passed: bool
    error: str
    seconds: float

    @property
    def verdict(self) -> str:
        if self.passed:
            return "passed"
        return "xfail" if self.case.name in XFAILS else "failed"


def run(case: NodeCase) -> Outcome:
    start = time.perf_counter()
    try:
        run_case(case)
    except Exception as error:  # any failure of a case is a result to report
        text = " ".join(str(error).split())
        message = f"{type(error).__name__}: {text[:ERROR_CHARS]}"
        return Outcome(case, False, message, time.perf_counter() - start)
    return Outcome(case, True, "", time.perf_counter() - start)


def counts(outcomes: Sequence[Outcome]) -> tuple[int, int, int, int]:
    verdicts = [o.verdict for o in outcomes]
    passed, xfail = verdicts.count("passed"), verdicts.count("xfail")
    return len(verdicts), passed, xfail, verdicts.count("failed")


def row(label: str, tier: str, outcomes: Sequence[Outcome]) -> str:
    cases, passed, xfail, failed = counts(outcomes)
    rate = f"{100 * passed / cases:.1f}%" if cases else "-"
    return f"| {label} | {tier} | {cases} | {passed} | {xfail} | {failed} | {rate} |"


HEADER = (
    "| op | tier | cases | passed | xfail | failed | pass rate |\n"
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
)


def per_op_table(outcomes: Sequence[Outcome]) -> list[str]:
    by_op: dict[str, list[Outcome]] = {}
    for outcome in sorted(outcomes, key=lambda o: (o.case.tier, o.case.op)):
        by_op.setdefault(outcome.case.op, []).append(outcome)
    lines = [HEADER]
    for op, group in by_op.items():
        lines.append(row(op, str(group[0].case.tier), group))
    return lines


def report(outcomes: Sequence[Outcome], excluded: Sequence[NodeCase]) -> str:
    plain = [o for o in outcomes if not o.case.expanded]
    expanded = [o for o in outcomes if o.case.expanded]
    lines = ["# ONNX backend node tests: dlc pass table", ""]
    lines += ["## Totals", "", HEADER.replace("| op |", "| set |")]
    for tier in (1, 2):
        lines.append(row("plain", str(tier), [o for o in plain if o.case.tier == tier]))
    for tier in (1, 2):
        in_tier = [o for o in expanded if o.case.tier == tier]
        lines.append(row("`_expanded`", str(tier), in_tier))
    lines.append(row("`_expanded`", "1+2", expanded))
    lines.append(row("all", "1+2", outcomes))
    seconds = sum(o.seconds for o in outcomes)
    lines += ["", f"{len(outcomes)} cases ran in {seconds:.1f} s.", ""]
    lines += ["## Per op", "", *per_op_table(plain), ""]
    lines += ["## Per op, `_expanded` variants", "", *per_op_table(expanded), ""]
    lines += [f"## Excluded by element type ({len(excluded)} cases)", ""]
    lines += [f"- `{c.name}` ({c.op}): {c.excluded}" for c in excluded]
    xfails = [o for o in outcomes if o.verdict == "xfail"]
    lines += ["", f"## Expected failures ({len(xfails)} cases)", ""]
    lines += [f"- `{o.case.name}`: {XFAILS[o.case.name]}" for o in xfails]
    failed = [o for o in outcomes if o.verdict == "failed"]
    lines += ["", f"## Failures ({len(failed)} cases)", ""]
    lines += [f"- `{o.case.name}`: {o.error}" for o in failed]
    unexpected = [o for o in outcomes if o.passed and o.case.name in XFAILS]
    lines += ["", f"## Unexpected passes ({len(unexpected)} cases)", ""]
    lines += [f"- `{o.case.name}` (listed: {XFAILS[o.case.name]})" for o in unexpected]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, help="also write the table here")
    parser.add_argument("--only", help="run only the cases whose name matches")
    parser.add_argument(
        "--errors", action="store_true", help="print failures as they happen"
    )
    args = parser.parse_args(argv)
    selected = [
        c for c in select_cases() if args.only is None or re.search(args.only, c.name)
    ]
    excluded = [c for c in selected if c.excluded is not None]
    outcomes: list[Outcome] = []
    for case in selected:
        if case.excluded is not None:
            continue
        outcome = run(case)
        outcomes.append(outcome)
        if args.errors and outcome.verdict == "failed":
            print(f"{case.name}: {outcome.error}", file=sys.stderr, flush=True)
    text = report(outcomes, excluded)
    sys.stdout.write(text)
    if args.output is not None:
        args.output.write_text(text)
    bad = any(o.verdict == "failed" for o in outcomes)
    return 1 if bad or any(o.passed and o.case.name in XFAILS for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
