"""Hostile and broken input: always problems with a location, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from model_xml import START, definitions, process

from cadenza import model

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <bpmn:process id="p" name="&lol9;" isExecutable="true"><bpmn:startEvent id="s" /></bpmn:process>
</bpmn:definitions>
"""


def _only_problem(data: bytes, **kwargs: int) -> model.Problem:
    result = model.transform(data, "bad.bpmn", **kwargs)
    assert result.processes == ()
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def test_malformed_xml_reports_the_parser_line() -> None:
    data = b'<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn="x">\n  <bpmn:process id="p">\n</bpmn:definitions>\n'
    problem = _only_problem(data)
    assert problem.line == 4
    assert problem.message.startswith("The XML is malformed: ")
    assert "process" in problem.message


def test_billion_laughs_is_refused_without_expanding() -> None:
    problem = _only_problem(BILLION_LAUGHS)
    assert "document type declaration" in problem.message
    assert problem.line == 2


def test_doctype_in_utf16_is_refused() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE d []><d/>'.encode("utf-16")
    assert "document type declaration" in _only_problem(data).message


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{secret}">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <bpmn:process id="p" name="&xxe;" isExecutable="true"><bpmn:startEvent id="s" /></bpmn:process>
</bpmn:definitions>""".encode()
    problem = _only_problem(data)
    assert "TOP-SECRET-VALUE" not in str(problem)
    assert "document type declaration" in problem.message


def test_oversized_input_is_refused_before_parsing() -> None:
    data = process(START + "<!--" + "x" * 5000 + "-->")
    problem = _only_problem(data, max_bytes=1000)
    assert problem.message == (
        f"The resource is {len(data)} bytes, more than the limit of 1000 bytes."
    )


def test_default_limit_is_ten_mebibytes() -> None:
    assert model.MAX_RESOURCE_BYTES == 10 * 1024 * 1024
    data = b" " * (model.MAX_RESOURCE_BYTES + 1)
    assert "more than the limit" in _only_problem(data).message


@pytest.mark.parametrize("data", [b"", b"   \n\t ", b"\n"])
def test_empty_input(data: bytes) -> None:
    assert _only_problem(data).message == "The resource is empty."


def test_wrong_namespace() -> None:
    data = b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/OTHER"><process id="p"/></definitions>'
    problem = _only_problem(data)
    assert problem.message == (
        "The root element must be 'definitions' in namespace "
        "'http://www.omg.org/spec/BPMN/20100524/MODEL', found 'definitions' in namespace "
        "'http://www.omg.org/spec/BPMN/20100524/OTHER'."
    )
    assert problem.line == 1


def test_not_bpmn_at_all() -> None:
    problem = _only_problem(b"<html><body>hello</body></html>")
    assert "found 'html' in namespace 'none'" in problem.message


def test_binary_garbage() -> None:
    problem = _only_problem(bytes(range(256)) * 4)
    assert problem.message.startswith("The XML is malformed")


def test_deeply_nested_sub_processes_are_bounded() -> None:
    inner = '<bpmn:startEvent id="s_in" />'
    for level in range(80):
        inner = f'<bpmn:subProcess id="sp{level}"><bpmn:startEvent id="s{level}" />{inner}</bpmn:subProcess>'
    result = model.transform(process(START + inner), "deep.bpmn")
    assert [p.message for p in result.problems] == ["Subprocesses are nested more than 64 deep."]


def test_load_raises_resource_error_with_all_problems() -> None:
    with pytest.raises(model.ResourceError) as caught:
        model.load(process('<bpmn:serviceTask id="a" /><bpmn:complexGateway id="b" />'), "x.bpmn")
    assert len(caught.value.problems) == 3
    assert "x.bpmn:" in str(caught.value)


def test_load_returns_processes() -> None:
    processes = model.load(process(START), "ok.bpmn")
    assert [p.id for p in processes] == ["p"]


def test_vendor_extensions_and_comments_are_ignored() -> None:
    data = definitions(
        """<!-- a comment -->
    <bpmn:process id="p" isExecutable="true" xmlns:other="urn:other">
      <other:thing id="x" />
      <?some-instruction data?>
      <bpmn:startEvent id="s"><!-- inside --></bpmn:startEvent>
    </bpmn:process>"""
    )
    result = model.transform(data, "ok.bpmn")
    assert result.problems == []
    assert set(result.processes[0].elements) == {"p", "s"}
