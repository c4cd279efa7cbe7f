"""``cadenza validate FILE...``: check BPMN files the way a deployment would, without a server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from cadenza import model


def main(argv: list[str], out: TextIO | None = None) -> int:
    """Validate every file named in ``argv``; print each problem as ``file:line [element]:
    message`` and, for a valid file, one summary line. Exit code 0 when every file is valid,
    1 when any has a problem, 2 when no file was given."""
    stream = sys.stdout if out is None else out
    if not argv:
        print("usage: cadenza validate FILE...", file=stream)
        return 2
    failed = False
    for name in argv:
        problems, summary = _validate(Path(name))
        for problem in problems:
            print(problem, file=stream)
        if problems:
            failed = True
        else:
            print(summary, file=stream)
    return 1 if failed else 0


def _validate(path: Path) -> tuple[list[model.Problem], str]:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > model.MAX_RESOURCE_BYTES:
            # Refuse before reading, so a huge file is never loaded into memory.
            message = f"The resource is {size} bytes, more than the limit of {model.MAX_RESOURCE_BYTES} bytes."
            return [model.Problem(name, 0, None, message)], ""
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        return [model.Problem(name, 0, None, f"The file cannot be read: {reason}.")], ""
    result = model.transform(data, name)
    processes = ", ".join(p.id for p in result.processes)
    count = len(result.processes)
    plural = "process" if count == 1 else "processes"
    return result.problems, f"{name}: valid, {count} executable {plural} ({processes})"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
