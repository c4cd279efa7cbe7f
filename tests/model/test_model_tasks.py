"""Tasks and activities: what each kind reads from the Modeler's XML."""

from __future__ import annotations

from model_xml import START, load, messages, process

from cadenza.model import ElementKind, EventType, Expression, Mapping_


def test_service_task_job_headers_mappings_and_properties() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:serviceTask id="charge" name="Charge card">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="payment" retries="=retryCount" />
        <zeebe:taskHeaders>
          <zeebe:header key="method" value="VISA" />
          <zeebe:header key="region" value="eu" />
        </zeebe:taskHeaders>
        <zeebe:ioMapping>
          <zeebe:input source="=order.total" target="amount" />
          <zeebe:input source="EUR" target="currency" />
          <zeebe:input target="emptyLocal" />
          <zeebe:output source="=result.id" target="payment.id" />
        </zeebe:ioMapping>
        <zeebe:properties>
          <zeebe:property name="owner" value="billing" />
        </zeebe:properties>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="charge" />"""
        )
    )
    task = proc.element("charge")
    assert task.kind is ElementKind.SERVICE_TASK
    assert task.name == "Charge card"
    assert task.scope_id == "p"
    assert task.line == 5
    assert task.job is not None
    assert task.job.type == Expression("payment", None)
    assert task.job.retries == Expression("=retryCount", "retryCount")
    assert dict(task.job.headers) == {"method": "VISA", "region": "eu"}
    assert task.inputs == (
        Mapping_(Expression("=order.total", "order.total"), "amount"),
        Mapping_(Expression("EUR", None), "currency"),
        Mapping_(Expression("", "null"), "emptyLocal"),
    )
    assert task.outputs == (Mapping_(Expression("=result.id", "result.id"), "payment.id"),)
    assert dict(task.properties) == {"owner": "billing"}
    assert task.incoming == ("f1",)


def test_service_task_retries_default_to_three() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:serviceTask id="t"><bpmn:extensionElements>
      <zeebe:taskDefinition type="work" /></bpmn:extensionElements></bpmn:serviceTask>"""
        )
    )
    job = proc.element("t").job
    assert job is not None and job.retries == Expression("3", None)


def test_service_and_send_task_without_task_definition_are_problems() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:serviceTask id="a" />
    <bpmn:sendTask id="b" />
    <bpmn:serviceTask id="c"><bpmn:extensionElements>
      <zeebe:taskDefinition type="" /></bpmn:extensionElements></bpmn:serviceTask>"""
        )
    )
    assert "A service task needs a zeebe:taskDefinition with a type." in found
    assert "A send task needs a zeebe:taskDefinition with a type." in found
    assert "zeebe:taskDefinition needs a non-empty type." in found


def test_send_task_is_job_based() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:sendTask id="send"><bpmn:extensionElements>
      <zeebe:taskDefinition type="=&quot;mail-&quot; + region" retries="5" />
    </bpmn:extensionElements></bpmn:sendTask>"""
        )
    )
    send = proc.element("send")
    assert send.kind is ElementKind.SEND_TASK
    assert send.job is not None
    assert send.job.type.feel == '"mail-" + region'
    assert send.job.retries.source == "5"


def test_receive_task_message_and_correlation_key() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:receiveTask id="wait" messageRef="Message_1" />""",
            after="""<bpmn:message id="Message_1" name="paid">
      <bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements>
    </bpmn:message>""",
        )
    )
    wait = proc.element("wait")
    assert wait.kind is ElementKind.RECEIVE_TASK
    assert wait.event_type is EventType.MESSAGE
    assert wait.message is not None
    assert wait.message.message_id == "Message_1"
    assert wait.message.name == Expression("paid", None)
    assert wait.message.correlation_key == Expression("=orderId", "orderId")


def test_receive_task_without_message_or_key_is_a_problem() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:receiveTask id="a" />
    <bpmn:receiveTask id="b" messageRef="M" />""",
            after='<bpmn:message id="M" name="paid" />',
        )
    )
    assert "A receive task must reference a message (messageRef)." in found
    assert "The message used by b needs a zeebe:subscription with a correlationKey." in found


def test_camunda_user_task() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:userTask id="review">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:formDefinition formId="review-form" />
        <zeebe:assignmentDefinition assignee="=owner" candidateGroups="sales, support" candidateUsers="ann" />
        <zeebe:taskSchedule dueDate="2024-05-01T10:00:00Z" followUpDate="=followUp" />
        <zeebe:priorityDefinition priority="80" />
      </bpmn:extensionElements>
    </bpmn:userTask>"""
        )
    )
    task = proc.element("review")
    assert task.kind is ElementKind.USER_TASK
    assert task.job is None
    definition = task.user_task
    assert definition is not None
    assert definition.assignee == Expression("=owner", "owner")
    assert definition.candidate_groups == Expression("sales, support", None)
    assert definition.candidate_users == Expression("ann", None)
    assert definition.due_date == Expression("2024-05-01T10:00:00Z", None)
    assert definition.follow_up_date == Expression("=followUp", "followUp")
    assert definition.priority == Expression("80", None)
    assert definition.form_id == "review-form"
    assert definition.form_key is None


def test_job_based_user_task() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:userTask id="approve">
      <bpmn:extensionElements>
        <zeebe:formDefinition formKey="camunda-forms:bpmn:userTaskForm_1" />
        <zeebe:assignmentDefinition assignee="demo" />
      </bpmn:extensionElements>
    </bpmn:userTask>"""
        )
    )
    task = proc.element("approve")
    assert task.job is not None
    assert task.job.type == Expression("io.camunda.zeebe:userTask", None)
    assert task.job.retries == Expression("1", None)
    assert task.user_task is not None
    assert task.user_task.assignee == Expression("demo", None)
    assert task.user_task.form_key == "camunda-forms:bpmn:userTaskForm_1"


def test_business_rule_task_called_decision_or_job() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:businessRuleTask id="decide"><bpmn:extensionElements>
      <zeebe:calledDecision decisionId="dish" resultVariable="meal" bindingType="deployment" />
    </bpmn:extensionElements></bpmn:businessRuleTask>
    <bpmn:businessRuleTask id="external"><bpmn:extensionElements>
      <zeebe:taskDefinition type="rules" />
    </bpmn:extensionElements></bpmn:businessRuleTask>"""
        )
    )
    decide = proc.element("decide")
    assert decide.called_decision is not None
    assert decide.called_decision.decision_id == Expression("dish", None)
    assert decide.called_decision.result_variable == "meal"
    assert decide.called_decision.binding == "deployment"
    assert decide.job is None
    external = proc.element("external")
    assert external.called_decision is None
    assert external.job is not None and external.job.type.source == "rules"


def test_business_rule_and_script_tasks_need_an_implementation() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:businessRuleTask id="a" />
    <bpmn:scriptTask id="b" />
    <bpmn:businessRuleTask id="c"><bpmn:extensionElements>
      <zeebe:calledDecision decisionId="d" /></bpmn:extensionElements></bpmn:businessRuleTask>"""
        )
    )
    assert "A business rule task needs a zeebe:calledDecision or a zeebe:taskDefinition." in found
    assert "A script task needs a zeebe:script or a zeebe:taskDefinition." in found
    assert "zeebe:calledDecision needs a resultVariable." in found


def test_script_task() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:scriptTask id="sum"><bpmn:extensionElements>
      <zeebe:script expression="=a + b" resultVariable="total" />
    </bpmn:extensionElements></bpmn:scriptTask>"""
        )
    )
    script = proc.element("sum").script
    assert script is not None
    assert script.expression == Expression("=a + b", "a + b")
    assert script.result_variable == "total"


def test_script_expression_must_start_with_equals() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:scriptTask id="s"><bpmn:extensionElements>
      <zeebe:script expression="a + b" resultVariable="total" />
    </bpmn:extensionElements></bpmn:scriptTask>"""
        )
    )
    assert found == [
        "zeebe:script expression must be a FEEL expression starting with '=' (e.g. '=a + b'), "
        "but found the static value 'a + b'."
    ]


def test_manual_and_plain_tasks_pass_through() -> None:
    proc = load(process(f'{START}<bpmn:manualTask id="m" /><bpmn:task id="t" name="Think" />'))
    assert proc.element("m").kind is ElementKind.MANUAL_TASK
    assert proc.element("t").kind is ElementKind.TASK
    assert proc.element("t").name == "Think"
    assert proc.element("t").job is None


def test_call_activity() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:callActivity id="call"><bpmn:extensionElements>
      <zeebe:calledElement processId="=childId" propagateAllChildVariables="false" bindingType="versionTag" />
    </bpmn:extensionElements></bpmn:callActivity>
    <bpmn:callActivity id="plain"><bpmn:extensionElements>
      <zeebe:calledElement processId="child" />
    </bpmn:extensionElements></bpmn:callActivity>"""
        )
    )
    called = proc.element("call").called_element
    assert called is not None
    assert called.process_id == Expression("=childId", "childId")
    assert called.propagate_all_child_variables is False
    assert called.propagate_all_parent_variables is True
    assert called.binding == "versionTag"
    plain = proc.element("plain").called_element
    assert plain is not None
    assert plain.propagate_all_child_variables and plain.propagate_all_parent_variables
    assert plain.binding == "latest"


def test_call_activity_problems() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:callActivity id="a" />
    <bpmn:callActivity id="b"><bpmn:extensionElements>
      <zeebe:calledElement processId="x" bindingType="newest" /></bpmn:extensionElements></bpmn:callActivity>"""
        )
    )
    assert "A call activity needs a zeebe:calledElement with a processId." in found
    assert (
        "zeebe:calledElement has bindingType 'newest'; it must be one of latest, deployment, versionTag."
        in found
    )


def test_multi_instance() -> None:
    proc = load(
        process(
            f"""{START}
    <bpmn:serviceTask id="each">
      <bpmn:extensionElements><zeebe:taskDefinition type="w" /></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics isSequential="true">
        <bpmn:extensionElements>
          <zeebe:loopCharacteristics inputCollection="=items" inputElement="item"
            outputCollection="results" outputElement="=result" />
        </bpmn:extensionElements>
        <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=count(results) &gt; 2</bpmn:completionCondition>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:serviceTask>
    <bpmn:task id="parallel">
      <bpmn:multiInstanceLoopCharacteristics>
        <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2]" /></bpmn:extensionElements>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:task>"""
        )
    )
    loop = proc.element("each").multi_instance
    assert loop is not None
    assert loop.sequential is True
    assert loop.input_collection == Expression("=items", "items")
    assert loop.input_element == "item"
    assert loop.output_collection == "results"
    assert loop.output_element == Expression("=result", "result")
    assert loop.completion_condition == Expression("=count(results) > 2", "count(results) > 2")
    other = proc.element("parallel").multi_instance
    assert other is not None and other.sequential is False
    assert other.input_element is None and other.completion_condition is None


def test_multi_instance_needs_input_collection_as_expression() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:task id="a"><bpmn:multiInstanceLoopCharacteristics /></bpmn:task>
    <bpmn:task id="b"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
      <zeebe:loopCharacteristics inputCollection="items" />
    </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:task>"""
        )
    )
    assert "Multi-instance needs zeebe:loopCharacteristics inputCollection." in found
    assert any(m.startswith("inputCollection must be a FEEL expression") for m in found)


def test_mapping_targets_and_output_sources_are_checked() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:task id="t"><bpmn:extensionElements><zeebe:ioMapping>
      <zeebe:input source="=1" target="$.x" />
      <zeebe:input source="=1" target="null" />
      <zeebe:output source="plain" target="ok" />
    </zeebe:ioMapping></bpmn:extensionElements></bpmn:task>"""
        )
    )
    assert found == [
        "zeebe:input target: the target '$.x' is not a variable name or a path such as 'a.b'.",
        "zeebe:input target: the target 'null' is a reserved word.",
        "zeebe:output source (target 'ok') must be a FEEL expression starting with '=' "
        "(e.g. '=plain'), but found the static value 'plain'.",
    ]


def test_static_schedule_and_priority_are_checked() -> None:
    found = messages(
        process(
            f"""{START}
    <bpmn:userTask id="u"><bpmn:extensionElements>
      <zeebe:userTask />
      <zeebe:taskSchedule dueDate="next week" followUpDate="=later" />
      <zeebe:priorityDefinition priority="101" />
    </bpmn:extensionElements></bpmn:userTask>"""
        )
    )
    assert found == [
        "zeebe:taskSchedule dueDate must be an ISO 8601 date-time such as "
        "'2023-03-02T15:35+02:00', found 'next week'.",
        "zeebe:priorityDefinition priority must be a number between 0 and 100, found '101'.",
    ]
