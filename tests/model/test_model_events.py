"""Events: start, intermediate, boundary and end events with each supported definition."""

from __future__ import annotations

import pytest
from model_xml import START, load, messages, problems, process

from cadenza.model import ElementKind, EventType, Expression, TimerDefinition

MESSAGE = """<bpmn:message id="Msg" name="order-paid">
  <bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements>
</bpmn:message>"""
REFS = f"""{MESSAGE}
<bpmn:error id="Err" name="Failure" errorCode="PAYMENT_FAILED" />
<bpmn:escalation id="Esc" name="Late" escalationCode="LATE" />
<bpmn:signal id="Sig" name="shutdown" />"""


def test_start_events_of_every_kind() -> None:
    proc = load(
        process(
            """<bpmn:startEvent id="none" />
    <bpmn:startEvent id="msg"><bpmn:messageEventDefinition id="d1" messageRef="Msg" /></bpmn:startEvent>
    <bpmn:startEvent id="timer"><bpmn:timerEventDefinition id="d2">
      <bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R/P1D</bpmn:timeCycle>
    </bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:startEvent id="date"><bpmn:timerEventDefinition id="d3">
      <bpmn:timeDate xsi:type="bpmn:tFormalExpression">2019-10-01T12:00:00Z</bpmn:timeDate>
    </bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:startEvent id="sig"><bpmn:signalEventDefinition id="d4" signalRef="Sig" /></bpmn:startEvent>""",
            after=REFS,
        )
    )
    root = proc.root
    assert root.kind is ElementKind.PROCESS
    assert root.start_events == ("none", "msg", "timer", "date", "sig")
    assert root.none_start_event == "none"
    msg = proc.element("msg")
    assert msg.event_type is EventType.MESSAGE
    assert msg.message is not None
    assert msg.message.name == Expression("order-paid", None)
    assert msg.message.correlation_key is None  # start events need no key
    assert proc.element("timer").timer == TimerDefinition("cycle", Expression("R/P1D", None))
    assert proc.element("date").timer == TimerDefinition(
        "date", Expression("2019-10-01T12:00:00Z", None)
    )
    assert proc.element("sig").signal_name == Expression("shutdown", None)


def test_end_events_of_every_kind() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:endEvent id="none" />
    <bpmn:endEvent id="error"><bpmn:errorEventDefinition id="d1" errorRef="Err" /></bpmn:endEvent>
    <bpmn:endEvent id="esc"><bpmn:escalationEventDefinition id="d2" escalationRef="Esc" /></bpmn:endEvent>
    <bpmn:endEvent id="term"><bpmn:terminateEventDefinition id="d3" /></bpmn:endEvent>
    <bpmn:endEvent id="msg">
      <bpmn:extensionElements><zeebe:taskDefinition type="notify" /></bpmn:extensionElements>
      <bpmn:messageEventDefinition id="d4" messageRef="Msg" />
    </bpmn:endEvent>
    <bpmn:endEvent id="sig"><bpmn:signalEventDefinition id="d5" signalRef="Sig" /></bpmn:endEvent>""",
            after=REFS,
        )
    )
    assert proc.element("none").event_type is EventType.NONE
    assert proc.element("error").error_code == Expression("PAYMENT_FAILED", None)
    assert proc.element("esc").escalation_code == Expression("LATE", None)
    assert proc.element("term").event_type is EventType.TERMINATE
    msg = proc.element("msg")
    assert msg.event_type is EventType.MESSAGE
    assert msg.job is not None and msg.job.type.source == "notify"
    assert proc.element("sig").signal_name == Expression("shutdown", None)


def test_intermediate_catch_events() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition id="d1" messageRef="Msg" /></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition id="d2">
      <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">=delay</bpmn:timeDuration>
    </bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="sig"><bpmn:signalEventDefinition id="d3" signalRef="Sig" /></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition id="d4" name="jump" /></bpmn:intermediateCatchEvent>
    <bpmn:intermediateThrowEvent id="go"><bpmn:linkEventDefinition id="d5" name="jump" /></bpmn:intermediateThrowEvent>""",
            after=REFS,
        )
    )
    msg = proc.element("msg")
    assert msg.kind is ElementKind.INTERMEDIATE_CATCH_EVENT
    assert msg.message is not None
    assert msg.message.correlation_key == Expression("=orderId", "orderId")
    assert proc.element("wait").timer == TimerDefinition("duration", Expression("=delay", "delay"))
    assert proc.element("sig").signal_name == Expression("shutdown", None)
    assert proc.element("land").link_name == "jump"
    assert proc.element("go").link_name == "jump"
    assert proc.element("go").event_type is EventType.LINK


def test_intermediate_throw_events() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:intermediateThrowEvent id="none"><bpmn:extensionElements><zeebe:ioMapping>
      <zeebe:output source="=1" target="one" /></zeebe:ioMapping></bpmn:extensionElements>
    </bpmn:intermediateThrowEvent>
    <bpmn:intermediateThrowEvent id="msg">
      <bpmn:extensionElements><zeebe:taskDefinition type="send" /></bpmn:extensionElements>
      <bpmn:messageEventDefinition id="d1" />
    </bpmn:intermediateThrowEvent>
    <bpmn:intermediateThrowEvent id="sig"><bpmn:signalEventDefinition id="d2" signalRef="Sig" /></bpmn:intermediateThrowEvent>
    <bpmn:intermediateThrowEvent id="esc"><bpmn:escalationEventDefinition id="d3" escalationRef="Esc" /></bpmn:intermediateThrowEvent>""",
            after=REFS,
        )
    )
    none = proc.element("none")
    assert none.kind is ElementKind.INTERMEDIATE_THROW_EVENT
    assert none.event_type is EventType.NONE
    assert [m.target for m in none.outputs] == ["one"]
    msg = proc.element("msg")
    assert msg.job is not None and msg.message is None
    assert proc.element("sig").signal_name == Expression("shutdown", None)
    assert proc.element("esc").escalation_code == Expression("LATE", None)


def test_boundary_events_interrupting_and_not() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:task id="work" />
    <bpmn:boundaryEvent id="timeout" attachedToRef="work"><bpmn:timerEventDefinition id="d1">
      <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration>
    </bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="remind" cancelActivity="false" attachedToRef="work"><bpmn:timerEventDefinition id="d2">
      <bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R3/PT10M</bpmn:timeCycle>
    </bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="failed" attachedToRef="work">
      <bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=error" target="e" /></zeebe:ioMapping></bpmn:extensionElements>
      <bpmn:errorEventDefinition id="d3" errorRef="Err" zeebe:errorCodeVariable="code" zeebe:errorMessageVariable="text" />
    </bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="any" attachedToRef="work"><bpmn:errorEventDefinition id="d4" /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="msg" attachedToRef="work"><bpmn:messageEventDefinition id="d5" messageRef="Msg" /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="sig" attachedToRef="work" cancelActivity="false"><bpmn:signalEventDefinition id="d6" signalRef="Sig" /></bpmn:boundaryEvent>
    <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="c" /></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:boundaryEvent id="esc" attachedToRef="call"><bpmn:escalationEventDefinition id="d7" /></bpmn:boundaryEvent>""",
            after=REFS,
        )
    )
    work = proc.element("work")
    assert work.boundary_events == ("timeout", "remind", "failed", "any", "msg", "sig")
    assert proc.element("call").boundary_events == ("esc",)
    timeout = proc.element("timeout")
    assert timeout.kind is ElementKind.BOUNDARY_EVENT
    assert timeout.attached_to == "work"
    assert timeout.interrupting is True
    assert proc.element("remind").interrupting is False
    assert proc.element("remind").timer == TimerDefinition("cycle", Expression("R3/PT10M", None))
    failed = proc.element("failed")
    assert failed.error_code == Expression("PAYMENT_FAILED", None)
    assert failed.error_code_variable == "code"
    assert failed.error_message_variable == "text"
    assert proc.element("any").error_code is None  # catches every error
    assert proc.element("msg").message is not None
    assert proc.element("sig").interrupting is False
    esc = proc.element("esc")
    assert esc.event_type is EventType.ESCALATION and esc.escalation_code is None


def test_boundary_event_on_a_non_activity_is_a_problem() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:exclusiveGateway id="gw" />
    <bpmn:boundaryEvent id="b" attachedToRef="gw"><bpmn:timerEventDefinition id="d">
      <bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="c" attachedToRef="missing"><bpmn:timerEventDefinition id="e">
      <bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>"""
        )
    )
    assert "A boundary event must be attached to an activity, not to an exclusive gateway." in found
    assert "attachedToRef 'missing' does not name an element of this process." in found


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '<bpmn:endEvent id="e"><bpmn:errorEventDefinition id="d" /></bpmn:endEvent>',
            "An error end event must reference an error (errorRef).",
        ),
        (
            '<bpmn:endEvent id="e"><bpmn:errorEventDefinition id="d" errorRef="NoCode" /></bpmn:endEvent>',
            "The error thrown by e needs an errorCode.",
        ),
        (
            '<bpmn:endEvent id="e"><bpmn:escalationEventDefinition id="d" /></bpmn:endEvent>',
            "An escalation end event must reference an escalation (escalationRef).",
        ),
        (
            '<bpmn:endEvent id="e"><bpmn:messageEventDefinition id="d" messageRef="Msg" /></bpmn:endEvent>',
            "A message end event needs a zeebe:taskDefinition with a type.",
        ),
        (
            '<bpmn:intermediateCatchEvent id="e"><bpmn:messageEventDefinition id="d" /></bpmn:intermediateCatchEvent>',
            "A message intermediate catch event must reference a message (messageRef).",
        ),
        (
            '<bpmn:intermediateCatchEvent id="e"><bpmn:messageEventDefinition id="d" messageRef="Bare" /></bpmn:intermediateCatchEvent>',
            "The message used by e needs a zeebe:subscription with a correlationKey.",
        ),
        (
            '<bpmn:intermediateCatchEvent id="e"><bpmn:messageEventDefinition id="d" messageRef="Nameless" /></bpmn:intermediateCatchEvent>',
            "The message used by e needs a name.",
        ),
        (
            '<bpmn:intermediateCatchEvent id="e"><bpmn:messageEventDefinition id="d" messageRef="Nope" /></bpmn:intermediateCatchEvent>',
            "messageRef 'Nope' does not name a bpmn:message.",
        ),
        (
            '<bpmn:intermediateCatchEvent id="e" />',
            "An intermediate catch event cannot be a none event; it must be one of: message, timer, signal, link.",
        ),
        (
            '<bpmn:intermediateCatchEvent id="e"><bpmn:timerEventDefinition id="d"><bpmn:timeCycle>R/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
            "An intermediate timer catch event needs a timeDuration or a timeDate, not a timeCycle.",
        ),
        (
            '<bpmn:intermediateCatchEvent id="e"><bpmn:timerEventDefinition id="d" /></bpmn:intermediateCatchEvent>',
            "A timer needs exactly one of timeDate, timeDuration or timeCycle.",
        ),
        (
            '<bpmn:intermediateCatchEvent id="e"><bpmn:signalEventDefinition id="d" /></bpmn:intermediateCatchEvent>',
            "A signal intermediate catch event must reference a signal (signalRef).",
        ),
        (
            '<bpmn:intermediateThrowEvent id="e"><bpmn:linkEventDefinition id="d" /></bpmn:intermediateThrowEvent>',
            "A link intermediate throw event needs a link name.",
        ),
        (
            '<bpmn:intermediateThrowEvent id="e"><bpmn:linkEventDefinition id="d" name="nowhere" /></bpmn:intermediateThrowEvent>',
            "No link catch event named 'nowhere' in the same scope.",
        ),
        (
            '<bpmn:boundaryEvent id="e" attachedToRef="t"><bpmn:errorEventDefinition id="d" errorRef="ExprErr" /></bpmn:boundaryEvent><bpmn:task id="t" />',
            "The errorCode of an error catch event cannot be an expression.",
        ),
        (
            '<bpmn:boundaryEvent id="e" />',
            "A boundary event must be attached to an activity (attachedToRef).",
        ),
        (
            '<bpmn:endEvent id="e"><bpmn:conditionalEventDefinition id="d" /></bpmn:endEvent>',
            "Conditional events are not supported.",
        ),
        (
            '<bpmn:intermediateCatchEvent id="e"><bpmn:conditionalEventDefinition id="d"><bpmn:condition>=x</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>',
            "Conditional events are not supported.",
        ),
        (
            '<bpmn:intermediateThrowEvent id="e"><bpmn:compensateEventDefinition id="d" /></bpmn:intermediateThrowEvent>',
            "Compensation events are not supported.",
        ),
        (
            '<bpmn:endEvent id="e"><bpmn:terminateEventDefinition id="d" /><bpmn:errorEventDefinition id="d2" errorRef="Err" /></bpmn:endEvent>',
            "An end event must have at most one event definition.",
        ),
    ],
)
def test_event_problems(body: str, expected: str) -> None:
    after = (
        REFS
        + '<bpmn:error id="NoCode" name="x" /><bpmn:error id="ExprErr" errorCode="=code" />'
        + '<bpmn:message id="Bare" name="bare" /><bpmn:message id="Nameless" />'
    )
    found = problems(process(START + body, after=after))
    assert expected in [p.message for p in found]
    located = next(p for p in found if p.message == expected)
    assert located.line > 0
    assert located.resource == "test.bpmn"


def test_static_timer_values_are_validated() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:intermediateCatchEvent id="a"><bpmn:timerEventDefinition id="d1">
      <bpmn:timeDuration>5 minutes</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="b"><bpmn:timerEventDefinition id="d2">
      <bpmn:timeDate>tomorrow</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:startEvent id="c"><bpmn:timerEventDefinition id="d3">
      <bpmn:timeCycle>* * * * *</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:startEvent id="d"><bpmn:timerEventDefinition id="d4">
      <bpmn:timeCycle>0 0 9-17 * * MON-FRI</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>"""
        )
    )
    assert found[0].startswith("Invalid timer duration: '5 minutes' is not an ISO 8601 duration")
    assert found[1].startswith("Invalid timer date: 'tomorrow' is not an ISO 8601 date-time")
    assert found[2].startswith("Invalid timer cycle: '* * * * *' is neither a repeating interval")
    assert len(found) == 3  # the six-field cron is valid


def test_event_sub_process_start_events() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:subProcess id="onError" triggeredByEvent="true">
      <bpmn:startEvent id="caught"><bpmn:errorEventDefinition id="d1" errorRef="Err" /></bpmn:startEvent>
    </bpmn:subProcess>
    <bpmn:subProcess id="onMessage" triggeredByEvent="true">
      <bpmn:startEvent id="heard" isInterrupting="false"><bpmn:messageEventDefinition id="d2" messageRef="Msg" /></bpmn:startEvent>
    </bpmn:subProcess>
    <bpmn:subProcess id="onEscalation" triggeredByEvent="true">
      <bpmn:startEvent id="raised" isInterrupting="false"><bpmn:escalationEventDefinition id="d3" escalationRef="Esc" /></bpmn:startEvent>
    </bpmn:subProcess>""",
            after=REFS,
        )
    )
    assert proc.root.event_sub_processes == ("onError", "onMessage", "onEscalation")
    on_error = proc.element("onError")
    assert on_error.kind is ElementKind.EVENT_SUB_PROCESS
    assert on_error.interrupting is True
    assert on_error.start_events == ("caught",)
    assert on_error.none_start_event is None
    assert proc.element("caught").error_code == Expression("PAYMENT_FAILED", None)
    assert proc.element("caught").scope_id == "onError"
    on_message = proc.element("onMessage")
    assert on_message.interrupting is False
    heard = proc.element("heard")
    assert heard.message is not None
    assert heard.message.correlation_key == Expression("=orderId", "orderId")
    assert proc.element("onEscalation").interrupting is False
    assert proc.element("raised").escalation_code == Expression("LATE", None)


def test_event_sub_process_start_event_problems() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:subProcess id="a" triggeredByEvent="true"><bpmn:startEvent id="a1" /></bpmn:subProcess>
    <bpmn:subProcess id="b" triggeredByEvent="true" />
    <bpmn:subProcess id="c" triggeredByEvent="true">
      <bpmn:startEvent id="c1"><bpmn:signalEventDefinition id="s1" signalRef="Sig" /></bpmn:startEvent>
    </bpmn:subProcess>
    <bpmn:sequenceFlow id="f" sourceRef="start" targetRef="c" />""",
            after=REFS,
        )
    )
    assert (
        "A start event of an event subprocess cannot be a none event; it must be one of: "
        "message, timer, signal, error, escalation." in found
    )
    assert "An event subprocess must have exactly one start event, found 0." in found
    assert "An event subprocess cannot have incoming or outgoing sequence flows." in found


def test_catch_all_error_start_and_error_variables_in_extension_elements() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:task id="t" />
    <bpmn:boundaryEvent id="b" attachedToRef="t">
      <bpmn:extensionElements><zeebe:errorEventDefinition errorCodeVariable="c" errorMessageVariable="m" /></bpmn:extensionElements>
      <bpmn:errorEventDefinition id="d" />
    </bpmn:boundaryEvent>"""
        )
    )
    boundary = proc.element("b")
    assert boundary.error_code is None
    assert boundary.error_code_variable == "c"
    assert boundary.error_message_variable == "m"


def test_catch_event_rules() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:task id="t" />
    <bpmn:boundaryEvent id="e1" attachedToRef="t"><bpmn:errorEventDefinition id="d1" /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="e2" attachedToRef="t"><bpmn:errorEventDefinition id="d2" /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="e3" attachedToRef="t"><bpmn:errorEventDefinition id="d3" errorRef="Err" /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="e4" attachedToRef="t"><bpmn:errorEventDefinition id="d4" errorRef="Err" /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="m1" attachedToRef="t"><bpmn:messageEventDefinition id="d5" messageRef="Msg" /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="m2" attachedToRef="t" cancelActivity="false"><bpmn:messageEventDefinition id="d6" messageRef="Msg" /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="ni" attachedToRef="t" cancelActivity="false"><bpmn:errorEventDefinition id="d7" errorRef="Other" /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="cy" attachedToRef="t"><bpmn:timerEventDefinition id="d8"><bpmn:timeCycle>R/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="es" attachedToRef="t"><bpmn:escalationEventDefinition id="d9" /></bpmn:boundaryEvent>""",
            after=REFS + '<bpmn:error id="Other" errorCode="OTHER" />',
        )
    )
    assert found == [
        "Several boundary events of this activity wait for the message named 'order-paid'.",
        "Several boundary events of this activity catch every error; at most one may have no error code.",
        "Several boundary events of this activity catch the error code 'PAYMENT_FAILED'.",
        "An error event cannot be non-interrupting; only message, timer, signal and escalation events can.",
        "An interrupting timer event cannot have a timeCycle; make it non-interrupting or use timeDuration or timeDate.",
        "An escalation boundary event can only be attached to a subprocess or a call activity.",
    ]


def test_event_sub_processes_of_one_scope_need_distinct_triggers() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:subProcess id="a" triggeredByEvent="true">
      <bpmn:startEvent id="a1"><bpmn:signalEventDefinition id="s1" signalRef="Sig" /></bpmn:startEvent>
    </bpmn:subProcess>
    <bpmn:subProcess id="b" triggeredByEvent="true">
      <bpmn:startEvent id="b1" isInterrupting="false"><bpmn:signalEventDefinition id="s2" signalRef="Sig" /></bpmn:startEvent>
    </bpmn:subProcess>""",
            after=REFS,
        )
    )
    assert found == [
        "Several event subprocesses of this scope wait for the signal named 'shutdown'."
    ]
