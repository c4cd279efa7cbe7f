"""Every BPMN file of the public conformance corpora deploys, or is rejected with
INVALID_ARGUMENT and a reason that names the file, the line and (when there is one) the element;
never another exception. Deployed processes start without a kernel failure."""

from __future__ import annotations

import pathlib
import re

import pytest

from cadenza.errors import CommandRejected
from cadenza.kernel import RejectionType
from cadenza.testing import Harness

CORPUS = pathlib.Path("/work/shared/conformance")
FILES = sorted(CORPUS.rglob("*.bpmn")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not FILES, reason=f"no conformance corpus under {CORPUS}")
@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_corpus_file_deploys_or_is_rejected_precisely(h: Harness, path: pathlib.Path) -> None:
    try:
        deployment = h.deploy(path)
    except CommandRejected as rejected:
        assert rejected.rejection_type is RejectionType.INVALID_ARGUMENT
        problems = [line for line in rejected.reason.splitlines() if line.startswith("- ")]
        assert problems, rejected.reason
        located = re.compile(rf"^- {re.escape(path.name)}:\d+(?: \[[^\]]+\])?: \S")
        for problem in problems:
            assert located.match(problem), problem
        return
    assert deployment.processes
    for info in deployment.processes:
        assert info.resource_name == path.name
        try:
            key = h.create_instance(info.bpmn_process_id)
        except CommandRejected as rejected:
            # only a process without a none start event may refuse a plain start
            assert rejected.rejection_type is RejectionType.INVALID_STATE, rejected.reason
            continue
        assert h.instance_state(key) in ("ACTIVE", "COMPLETED")
