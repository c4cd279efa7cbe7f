"""The DMN TCK, one pytest case per TCK test case.

Known failures are listed in ``tck_known_failures.txt`` and marked ``xfail(strict=True)``, so a
case that starts passing turns the suite red until it leaves the list."""

from __future__ import annotations

import dmn_tck
import pytest

_KNOWN = dmn_tck.read_known_failures()
_CASES = list(dmn_tck.discover()) if dmn_tck.available() else []


def _params() -> list[object]:
    if not _CASES:
        return [
            pytest.param(
                None,
                marks=pytest.mark.skip(reason=f"DMN TCK not found at {dmn_tck.TCK_ROOT}"),
                id="tck-absent",
            )
        ]
    params: list[object] = []
    for case in _CASES:
        marks = []
        if case.case_id in _KNOWN:
            marks.append(pytest.mark.xfail(reason=_KNOWN[case.case_id], strict=True))
        params.append(pytest.param(case, marks=marks, id=case.case_id))
    return params


@pytest.mark.parametrize("case", _params())
def test_tck_case(case: dmn_tck.TckCase) -> None:
    outcome, detail = dmn_tck.run_case(case)
    assert outcome is dmn_tck.Outcome.PASSED, detail


def test_known_failures_name_real_cases() -> None:
    if not _CASES:
        pytest.skip(f"DMN TCK not found at {dmn_tck.TCK_ROOT}")
    ids = {case.case_id for case in _CASES}
    stale = sorted(set(_KNOWN) - ids)
    assert not stale, f"known failures that are not TCK cases: {stale[:5]}"


def test_case_count_matches_the_published_total() -> None:
    if not _CASES:
        pytest.skip(f"DMN TCK not found at {dmn_tck.TCK_ROOT}")
    # 116 level 2 + 3275 level 3 test cases once commented-out ones are left out.
    assert len(_CASES) == 3391
