"""Gateways, sequence flows, scopes and the whole-process checks."""

from __future__ import annotations

from model_xml import START, definitions, load, messages, problems, process

from cadenza import model
from cadenza.model import ElementKind, Expression, SequenceFlow

MESSAGE = """<bpmn:message id="Msg" name="paid">
  <bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements>
</bpmn:message>"""


def test_exclusive_gateway_flows_conditions_and_default() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:exclusiveGateway id="gw" default="otherwise" />
    <bpmn:task id="big" /><bpmn:task id="small" /><bpmn:task id="rest" />
    <bpmn:sequenceFlow id="in" sourceRef="start" targetRef="gw" />
    <bpmn:sequenceFlow id="toBig" sourceRef="gw" targetRef="big">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=amount &gt; 100</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="otherwise" sourceRef="gw" targetRef="rest" />
    <bpmn:sequenceFlow id="toSmall" sourceRef="gw" targetRef="small">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=amount &lt; 10</bpmn:conditionExpression>
    </bpmn:sequenceFlow>"""
        )
    )
    gateway = proc.element("gw")
    assert gateway.kind is ElementKind.EXCLUSIVE_GATEWAY
    assert gateway.default_flow == "otherwise"
    assert gateway.outgoing == ("toBig", "otherwise", "toSmall")  # document order
    assert gateway.incoming == ("in",)
    assert proc.flows["toBig"] == SequenceFlow(
        "toBig", "gw", "big", Expression("=amount > 100", "amount > 100"), "p", 8
    )
    assert proc.flows["otherwise"].condition is None
    assert proc.element("start").outgoing == ("in",)


def test_gateway_flow_without_condition_is_a_problem() -> None:
    found = problems(
        process(
            f"""{START}
    <bpmn:inclusiveGateway id="gw" />
    <bpmn:task id="a" /><bpmn:task id="b" />
    <bpmn:sequenceFlow id="in" sourceRef="start" targetRef="gw" />
    <bpmn:sequenceFlow id="toA" sourceRef="gw" targetRef="a">
      <bpmn:conditionExpression>=x</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="toB" sourceRef="gw" targetRef="b" />"""
        )
    )
    assert [(p.element_id, p.line, p.message) for p in found] == [
        (
            "toB",
            10,
            "The flow leaves the gateway 'gw' that has several outgoing flows: it needs a "
            "condition or must be the default flow.",
        )
    ]


def test_single_unconditional_flow_out_of_a_gateway_is_fine() -> None:
    proc = load(
        process(
            f"""{START}<bpmn:exclusiveGateway id="gw" /><bpmn:task id="a" />
    <bpmn:sequenceFlow id="in" sourceRef="start" targetRef="gw" />
    <bpmn:sequenceFlow id="out" sourceRef="gw" targetRef="a" />"""
        )
    )
    assert proc.element("gw").outgoing == ("out",)


def test_default_flow_must_leave_the_element() -> None:
    found = messages(
        process(
            f"""{START}<bpmn:exclusiveGateway id="gw" default="in" />
    <bpmn:sequenceFlow id="in" sourceRef="start" targetRef="gw" />"""
        )
    )
    assert found == ["The default flow 'in' is not an outgoing flow of this element."]


def test_condition_must_be_an_expression() -> None:
    found = messages(
        process(
            f"""{START}<bpmn:exclusiveGateway id="gw" /><bpmn:task id="a" /><bpmn:task id="b" />
    <bpmn:sequenceFlow id="x" sourceRef="gw" targetRef="a"><bpmn:conditionExpression>${{ok}}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="y" sourceRef="gw" targetRef="b"><bpmn:conditionExpression> </bpmn:conditionExpression></bpmn:sequenceFlow>"""
        )
    )
    assert (
        "conditionExpression must be a FEEL expression starting with '=' (e.g. '=${ok}'), "
        "but found the static value '${ok}'." in found
    )
    assert "The condition expression is empty." in found


def test_parallel_and_event_based_gateways() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:parallelGateway id="fork" />
    <bpmn:eventBasedGateway id="race" />
    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition id="d1" messageRef="Msg" /></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="late"><bpmn:timerEventDefinition id="d2"><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:receiveTask id="answer" messageRef="Msg2" />
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="fork" />
    <bpmn:sequenceFlow id="f1" sourceRef="fork" targetRef="race" />
    <bpmn:sequenceFlow id="f2" sourceRef="race" targetRef="paid" />
    <bpmn:sequenceFlow id="f3" sourceRef="race" targetRef="late" />
    <bpmn:sequenceFlow id="f4" sourceRef="race" targetRef="answer" />""",
            after=MESSAGE + MESSAGE.replace('"Msg" name="paid"', '"Msg2" name="refunded"'),
        )
    )
    assert proc.element("fork").kind is ElementKind.PARALLEL_GATEWAY
    race = proc.element("race")
    assert race.kind is ElementKind.EVENT_BASED_GATEWAY
    assert race.event_targets == ("paid", "late", "answer")


def test_event_based_gateway_problems() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:eventBasedGateway id="race" />
    <bpmn:task id="t" />
    <bpmn:sequenceFlow id="f1" sourceRef="race" targetRef="t" />"""
        )
    )
    assert "An event-based gateway must have at least two outgoing sequence flows." in found
    assert (
        "An event-based gateway may only lead to message, timer or signal intermediate catch "
        "events or receive tasks; 't' is not one." in found
    )


def test_embedded_sub_process_scopes() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="subStart" />
      <bpmn:serviceTask id="inner"><bpmn:extensionElements><zeebe:taskDefinition type="t" /></bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:endEvent id="subEnd" />
      <bpmn:sequenceFlow id="s1" sourceRef="subStart" targetRef="inner" />
      <bpmn:sequenceFlow id="s2" sourceRef="inner" targetRef="subEnd" />
      <bpmn:subProcess id="onTimer" triggeredByEvent="true">
        <bpmn:startEvent id="tick"><bpmn:timerEventDefinition id="d"><bpmn:timeDuration>PT5M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
      </bpmn:subProcess>
    </bpmn:subProcess>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
    <bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="end" />"""
        )
    )
    root = proc.root
    assert root.children == ("start", "sub", "end")
    sub = proc.element("sub")
    assert sub.kind is ElementKind.SUB_PROCESS
    assert sub.scope_id == "p"
    assert sub.children == ("subStart", "inner", "subEnd", "onTimer")
    assert sub.none_start_event == "subStart"
    assert sub.start_events == ("subStart",)
    assert sub.event_sub_processes == ("onTimer",)
    assert proc.element("inner").scope_id == "sub"
    assert proc.element("tick").scope_id == "onTimer"
    assert proc.flows["s1"].scope_id == "sub"
    assert proc.flows["f1"].scope_id == "p"
    assert set(proc.elements) == {
        "p", "start", "sub", "subStart", "inner", "subEnd", "onTimer", "tick", "end",
    }  # fmt: skip


def test_sub_process_start_event_rules() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:subProcess id="empty" />
    <bpmn:subProcess id="typed">
      <bpmn:startEvent id="t1"><bpmn:timerEventDefinition id="d"><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
    </bpmn:subProcess>"""
        )
    )
    assert "A subprocess must have exactly one start event, found 0." in found
    assert (
        "A start event of an embedded subprocess cannot be a timer event; it must be one of: none."
        in found
    )


def test_flows_across_scopes_and_to_unknown_elements() -> None:
    found = problems(
        process(
            f"""{START}
    <bpmn:subProcess id="sub"><bpmn:startEvent id="in" /></bpmn:subProcess>
    <bpmn:sequenceFlow id="jump" sourceRef="start" targetRef="in" />
    <bpmn:sequenceFlow id="lost" sourceRef="start" targetRef="ghost" />
    <bpmn:sequenceFlow id="half" sourceRef="start" />"""
        )
    )
    by_id = {p.element_id: p.message for p in found}
    assert by_id["jump"] == (
        "The sequence flow crosses a scope boundary: its targetRef 'in' is in 'sub', the flow is in 'p'."
    )
    assert by_id["lost"] == "The targetRef 'ghost' does not name a flow node of this process."
    assert by_id["half"] == "The sequence flow has no targetRef."


def test_missing_and_duplicate_ids() -> None:
    found = problems(
        process(
            f"""{START}
    <bpmn:task name="anonymous" />
    <bpmn:task id="twin" />
    <bpmn:task id="twin" />"""
        )
    )
    assert [(p.line, p.element_id, p.message) for p in found] == [
        (5, None, "A task has no id."),
        (7, "twin", "The id 'twin' is already used on line 6."),
    ]


def test_process_needs_a_start_event_and_at_most_one_none_start() -> None:
    assert messages(process('<bpmn:task id="t" />')) == [
        "The process must have at least one start event."
    ]
    assert messages(process('<bpmn:startEvent id="a" /><bpmn:startEvent id="b" />')) == [
        "The process has more than one none start event."
    ]


def test_start_end_and_boundary_flow_directions() -> None:
    found = messages(
        process(
            f"""{START}<bpmn:endEvent id="end" /><bpmn:task id="t" />
    <bpmn:sequenceFlow id="back" sourceRef="end" targetRef="start" />"""
        )
    )
    assert "An end event cannot have outgoing sequence flows." in found
    assert "A start event cannot have incoming sequence flows." in found


def test_only_executable_processes_are_returned() -> None:
    data = definitions(
        """<bpmn:collaboration id="c">
      <bpmn:participant id="a" processRef="customer" />
      <bpmn:participant id="b" processRef="shop" />
      <bpmn:messageFlow id="mf" sourceRef="a" targetRef="b" />
    </bpmn:collaboration>
    <bpmn:process id="customer" isExecutable="false"><bpmn:task id="t1" /></bpmn:process>
    <bpmn:process id="shop" name="Shop" isExecutable="true">
      <bpmn:extensionElements><zeebe:versionTag value="v2" /></bpmn:extensionElements>
      <bpmn:laneSet id="ls"><bpmn:lane id="l1"><bpmn:flowNodeRef>s</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
      <bpmn:startEvent id="s" />
      <bpmn:dataObject id="do" /><bpmn:dataObjectReference id="dor" dataObjectRef="do" />
      <bpmn:dataStoreReference id="ds" />
      <bpmn:textAnnotation id="note"><bpmn:text>hello</bpmn:text></bpmn:textAnnotation>
      <bpmn:association id="as" sourceRef="s" targetRef="note" />
      <bpmn:group id="g" />
    </bpmn:process>
    <bpmn:process id="other" isExecutable="true"><bpmn:startEvent id="s2" /></bpmn:process>"""
    )
    result = model.transform(data, "collab.bpmn")
    assert result.problems == []
    assert [p.id for p in result.processes] == ["shop", "other"]
    shop = result.processes[0]
    assert shop.name == "Shop"
    assert shop.version_tag == "v2"
    assert set(shop.elements) == {"shop", "s"}
    assert shop.root.scope_id is None


def test_no_executable_process_is_a_problem() -> None:
    data = definitions(
        '<bpmn:process id="x" isExecutable="false"><bpmn:startEvent id="s" /></bpmn:process>'
    )
    assert messages(data) == [
        'The resource has no executable process: mark one with isExecutable="true".'
    ]


def test_unsupported_elements_are_reported_with_their_line() -> None:
    found = problems(
        process(
            f"""{START}
    <bpmn:complexGateway id="cg" />
    <bpmn:transaction id="tx" />
    <bpmn:task id="loop"><bpmn:standardLoopCharacteristics /></bpmn:task>
    <bpmn:task id="comp" isForCompensation="true" />
    <bpmn:serviceTask id="listened"><bpmn:extensionElements>
      <zeebe:taskDefinition type="x" />
      <zeebe:executionListeners><zeebe:executionListener eventType="start" type="audit" /></zeebe:executionListeners>
    </bpmn:extensionElements></bpmn:serviceTask>"""
        )
    )
    assert [(p.line, p.element_id, p.message) for p in found] == [
        (5, "cg", "Complex gateways are not supported."),
        (6, "tx", "Transaction subprocesses are not supported."),
        (7, "loop", "Standard loops (standardLoopCharacteristics) are not supported."),
        (8, "comp", "Compensation handlers (isForCompensation) are not supported."),
        (11, "listened", "execution listeners (zeebe:executionListeners) are not supported."),
    ]


def test_all_problems_are_reported_at_once_in_line_order() -> None:
    found = problems(
        process(
            """<bpmn:serviceTask id="a" />
    <bpmn:complexGateway id="b" />
    <bpmn:sequenceFlow id="c" sourceRef="a" targetRef="nowhere" />"""
        )
    )
    assert len(found) == 4
    assert [p.line for p in found] == sorted(p.line for p in found)
    assert {p.element_id for p in found} == {"p", "a", "b", "c"}


def test_duplicate_message_start_names() -> None:
    found = messages(
        process(
            """<bpmn:startEvent id="a"><bpmn:messageEventDefinition id="d1" messageRef="M1" /></bpmn:startEvent>
    <bpmn:startEvent id="b"><bpmn:messageEventDefinition id="d2" messageRef="M2" /></bpmn:startEvent>""",
            after='<bpmn:message id="M1" name="go" /><bpmn:message id="M2" name="go" />',
        )
    )
    assert found == ["Several message start events use the message name 'go'."]
