const { Camunda8 } = require('@camunda8/sdk')
const fs = require('fs')
async function main() {
  const base = process.argv[2]
  const dir = process.argv[3]
  const c8 = new Camunda8({ ZEEBE_REST_ADDRESS: base, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_OAUTH_DISABLED: true, CAMUNDA_LOG_LEVEL: 'error' })
  const rest = c8.getCamundaRestClient()
  const out = {}
  out.topology = (await rest.getTopology()).partitionsCount
  const dep = await rest.deployResourcesFromFiles([`${dir}/order.bpmn`, `${dir}/approval.form`])
  out.process = dep.processes[0].processDefinitionId
  const pi = await rest.createProcessInstance({ processDefinitionId: 'order', variables: { orderId: 'o-1' } })
  out.created = typeof pi.processInstanceKey
  const jobs = await rest.activateJobs({ type: 'charge', maxJobsToActivate: 5, timeout: 30000, worker: 'js', requestTimeout: 1000 })
  out.jobs = jobs.length
  out.jobVars = jobs[0].variables
  await jobs[0].complete({ charged: true })
  const corr = await rest.correlateMessage({ name: 'go', correlationKey: 'o-1' })
  out.correlated = corr.processInstanceKey === pi.processInstanceKey
  const tasks = await rest.searchUserTasks({ filter: {}, sort: [], page: { from: 0, limit: 10 } })
  const task = tasks.items[0]
  await rest.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'ann' })
  out.assignee = (await rest.getUserTask(task.userTaskKey)).assignee
  await rest.completeUserTask({ userTaskKey: task.userTaskKey, variables: { ok: true } })
  const pi2 = await rest.createProcessInstance({ processDefinitionId: 'order', variables: {} })
  const jobs2 = await rest.activateJobs({ type: 'charge', maxJobsToActivate: 1, timeout: 30000, worker: 'js', requestTimeout: 1000 })
  await jobs2[0].fail({ errorMessage: 'boom', retries: 0 })
  const incidents = await rest.searchIncidents({ filter: {}, sort: [], page: { from: 0, limit: 10 } })
  out.incident = incidents.items[0].errorType
  await rest.resolveIncident(incidents.items[0].incidentKey)
  out.signal = typeof (await rest.broadcastSignal({ signalName: 's' })).signalKey
  out.published = typeof (await rest.publishMessage({ name: 'x', correlationKey: 'k', variables: {} })).messageKey
  const pis = await rest.searchProcessInstances({ filter: {}, sort: [], page: { from: 0, limit: 10 } })
  out.instances = pis.items.length
  console.log(JSON.stringify(out))
}
main().catch((e) => { console.error('FAILED', e && (e.stack || e), e && e.response && e.response.body); process.exit(1) })
