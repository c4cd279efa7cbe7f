"""Run the DMN TCK and print passed / failed / errored per compliance level and overall.

python -m tests.dmn.tck_report                # summary and failing families
python -m tests.dmn.tck_report -v             # also every failing case with why
python -m tests.dmn.tck_report --family 0068  # only folders whose name contains 0068
python -m tests.dmn.tck_report --write-known  # rewrite tests/dmn/tck_known_failures.txt
"""

from __future__ import annotations

import argparse
import collections
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import dmn_tck


def main(argv: list[str]) -> int:
    """Run the TCK and print the counts; returns 0, or 1 when the TCK is absent."""
    parser = argparse.ArgumentParser(prog="tck_report", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--family", default="")
    parser.add_argument("--write-known", action="store_true")
    args = parser.parse_args(argv)
    if not dmn_tck.available():
        print(f"DMN TCK not found at {dmn_tck.TCK_ROOT}", file=sys.stderr)
        return 1
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    failing: dict[str, str] = {}
    families: collections.Counter[str] = collections.Counter()
    for case in dmn_tck.discover():
        if args.family not in case.family:
            continue
        outcome, detail = dmn_tck.run_case(case)
        counts[case.level][outcome.value] += 1
        counts["overall"][outcome.value] += 1
        if outcome is not dmn_tck.Outcome.PASSED:
            failing[case.case_id] = detail
            families[case.family] += 1
            if args.verbose:
                print(f"{outcome.value.upper()} {case.case_id}: {detail[:300]}")
    for level in (*dmn_tck.LEVELS, "overall"):
        c = counts[level]
        total = sum(c.values())
        if not total:
            continue
        rate = 100 * c["passed"] / total
        print(
            f"{level:20} total {total:5}  passed {c['passed']:5}  failed {c['failed']:4}  "
            f"errored {c['errored']:4}  ({rate:.2f}%)"
        )
    if families:
        print("failing families:")
        for family, count in sorted(families.items()):
            print(f"  {family}: {count}")
    if args.write_known:
        known = dmn_tck.read_known_failures()
        reasons = {case_id.split("/")[1]: reason for case_id, reason in known.items()}
        dmn_tck.write_known_failures(failing, reasons)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
