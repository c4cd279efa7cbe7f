"""Time one evaluation of a 20-rule, 3-input decision table (hit policy FIRST).

    python bench/dmn_bench.py [--repeat 7] [--number 2000]

Prints the median over ``--repeat`` runs of the mean time per evaluation in each run, for the
full ``DecisionModel.evaluate`` (variables in, JSON output and audit trail out) and for the
table alone. Target: at most 50 microseconds per evaluation."""

from __future__ import annotations

import argparse
import statistics
import time
from decimal import Decimal

from cadenza import dmn

TIERS = ["bronze", "silver", "gold", "platinum"]


def build_model() -> dmn.DecisionModel:
    """A FIRST table: customer tier (string), order amount (number ranges), express (boolean)."""
    rules = []
    for index in range(20):
        tier = f'"{TIERS[index % 4]}"' if index < 16 else "-"
        low = (index % 5) * 100
        amount = f"[{low}..{low + 99}]" if index < 18 else "&gt;= 0"
        express = "true" if index % 2 else "false"
        if index == 19:
            express = "-"
        rules.append(
            f'<rule id="r{index + 1}"><inputEntry><text>{tier}</text></inputEntry>'
            f"<inputEntry><text>{amount}</text></inputEntry>"
            f"<inputEntry><text>{express}</text></inputEntry>"
            f"<outputEntry><text>{index}</text></outputEntry></rule>"
        )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" id="bench" name="Bench"
             namespace="urn:bench">
  <decision id="discount" name="Discount">
    <decisionTable id="t" hitPolicy="FIRST">
      <input id="i1" label="Tier"><inputExpression typeRef="string"><text>tier</text></inputExpression></input>
      <input id="i2" label="Amount"><inputExpression typeRef="number"><text>amount</text></inputExpression></input>
      <input id="i3" label="Express"><inputExpression typeRef="boolean"><text>express</text></inputExpression></input>
      <output id="o1" name="discount" typeRef="number"/>
      {"".join(rules)}
    </decisionTable>
  </decision>
</definitions>"""
    return dmn.parse(text, "bench.dmn")


def _time(run: object, number: int, repeat: int) -> float:
    assert callable(run)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            run()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def main() -> None:
    """Run the benchmark and print microseconds per evaluation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args()
    model = build_model()
    # The last rule matches: every rule's entries are tested (the worst case for FIRST).
    json_vars = {"tier": "unknown", "amount": 950, "express": True}
    feel_vars = {"tier": "unknown", "amount": Decimal(950), "express": True}
    assert model.evaluate("discount", json_vars).output == 19
    full = _time(lambda: model.evaluate("discount", json_vars), args.number, args.repeat)
    values = _time(lambda: model.evaluate_values("discount", feel_vars), args.number, args.repeat)
    middle = {"tier": "gold", "amount": 250, "express": False}
    typical = _time(lambda: model.evaluate("discount", middle), args.number, args.repeat)
    print("20-rule, 3-input FIRST table, median of", args.repeat, "runs of", args.number)
    print(f"  evaluate, last rule matches (worst case):  {full * 1e6:8.1f} us")
    print(f"  evaluate_values, worst case:                {values * 1e6:8.1f} us")
    print(f"  evaluate, a middle rule matches:            {typical * 1e6:8.1f} us")
    print(f"  target: <= 50 us -> {'met' if full <= 50e-6 else 'NOT met'}")


if __name__ == "__main__":
    main()
