"""FEEL speed: evaluating a compiled gateway condition, compiling a typical mapping.

Run: ``python bench/feel_bench.py``. Prints medians of repeated timeit runs.
"""

from __future__ import annotations

import statistics
import timeit

from cadenza import feel

CONDITION = 'amount > 1000 and country = "DE"'
MAPPING = "{id: order.id, total: sum(order.items[price > 10].price) * 1.19}"
VARIABLES = {"amount": 1500, "country": "DE"}
ORDER = {
    "order": {
        "id": "A-1",
        "items": [{"price": p} for p in (5, 12, 30, 8, 99.5)],
    }
}


def _median_seconds(stmt: object, number: int, repeat: int = 7) -> float:
    runs = timeit.repeat(stmt, number=number, repeat=repeat)  # type: ignore[arg-type]
    return statistics.median(runs) / number


def main() -> None:
    """Print the measurements."""
    condition = feel.compile(CONDITION)
    assert condition.evaluate(VARIABLES) is True
    evaluate = condition.evaluate_raw
    t_eval = _median_seconds(lambda: evaluate(VARIABLES), 200_000)
    print(f"evaluate compiled gateway condition   {t_eval * 1e6:8.2f} us  (target <= 2 us)")

    t_compile = _median_seconds(lambda: feel.compile(MAPPING, cache=False), 2_000)
    print(f"compile mapping expression (no cache) {t_compile * 1e6:8.2f} us  (target <= 200 us)")

    mapping = feel.compile(MAPPING)
    t_map = _median_seconds(lambda: mapping.evaluate(ORDER), 50_000)
    print(f"evaluate compiled mapping expression  {t_map * 1e6:8.2f} us")

    t_cached = _median_seconds(lambda: feel.compile(CONDITION), 200_000)
    print(f"compile with cache hit                {t_cached * 1e6:8.2f} us")

    tests = feel.compile_unary_tests("< 10, [20..30], not(5)")
    t_tests = _median_seconds(lambda: tests.matches(25), 100_000)
    print(f"unary tests match                     {t_tests * 1e6:8.2f} us")


if __name__ == "__main__":
    main()
