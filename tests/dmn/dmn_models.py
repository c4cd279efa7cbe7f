"""Small DMN documents for the unit tests, built from fragments."""

from __future__ import annotations

DMN15 = "https://www.omg.org/spec/DMN/20230324/MODEL/"


def definitions(
    body: str, *, namespace: str = DMN15, name: str = "Test", ns: str = "urn:test"
) -> str:
    """A definitions document around ``body``."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<definitions xmlns="{namespace}" id="defs_{name}" name="{name}" namespace="{ns}">\n'
        f"{body}\n</definitions>\n"
    )


def table(
    rules: list[tuple[list[str], list[str]]],
    *,
    inputs: list[tuple[str, str]],
    outputs: list[str],
    hit_policy: str = "UNIQUE",
    aggregation: str | None = None,
    output_values: dict[int, str] | None = None,
    defaults: dict[int, str] | None = None,
    output_type: str | None = None,
    decision_id: str = "d",
    decision_name: str = "Decision",
    requires: str = "",
) -> str:
    """A decision with a decision table. ``inputs`` are (label, expression) pairs."""
    output_values = output_values or {}
    defaults = defaults or {}
    aggregation_attr = f' aggregation="{aggregation}"' if aggregation else ""
    parts = [
        f'<decision id="{decision_id}" name="{decision_name}">',
        requires,
        f'<decisionTable id="{decision_id}_table" hitPolicy="{hit_policy}"{aggregation_attr}>',
    ]
    for index, (label, expression) in enumerate(inputs):
        parts.append(
            f'<input id="in{index}" label="{label}"><inputExpression><text>{expression}</text>'
            "</inputExpression></input>"
        )
    for index, name in enumerate(outputs):
        type_attr = f' typeRef="{output_type}"' if output_type else ""
        parts.append(f'<output id="out{index}" name="{name}"{type_attr}>')
        if index in output_values:
            parts.append(f"<outputValues><text>{output_values[index]}</text></outputValues>")
        if index in defaults:
            parts.append(f"<defaultOutputEntry><text>{defaults[index]}</text></defaultOutputEntry>")
        parts.append("</output>")
    for number, (ins, outs) in enumerate(rules, start=1):
        parts.append(f'<rule id="rule{number}">')
        parts.extend(f"<inputEntry><text>{text}</text></inputEntry>" for text in ins)
        parts.extend(f"<outputEntry><text>{text}</text></outputEntry>" for text in outs)
        parts.append("</rule>")
    parts.append("</decisionTable></decision>")
    return "\n".join(parts)
