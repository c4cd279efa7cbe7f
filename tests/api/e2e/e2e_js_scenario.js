// One Node.js process with the @camunda8/sdk gRPC worker and REST worker, against cadenza serve:
// a process whose first task is done over gRPC and whose second over REST.
const { Camunda8 } = require('@camunda8/sdk')
const path = require('path')

async function main() {
  const [grpcAddress, restUrl, dir] = process.argv.slice(2)
  const c8 = new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://${grpcAddress}`,
    ZEEBE_REST_ADDRESS: restUrl,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    CAMUNDA_OAUTH_DISABLED: true,
    CAMUNDA_LOG_LEVEL: 'error',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
  })
  const zbc = c8.getZeebeGrpcApiClient()
  const rest = c8.getCamundaRestClient()
  const outcome = {}
  outcome.partitions = (await zbc.topology()).partitionsCount
  const deployed = await rest.deployResourcesFromFiles([path.join(dir, 'both.bpmn')])
  outcome.deployed = deployed.processes[0].processDefinitionId

  const grpcWorker = zbc.createWorker({
    taskType: 'via-grpc',
    longPoll: 50_000,
    taskHandler: (job) => job.complete({ grpcSaw: job.variables.n }),
  })
  const restWorker = rest.createJobWorker({
    type: 'via-rest',
    maxJobsToActivate: 10,
    timeout: 30_000,
    pollIntervalMs: 100,
    worker: 'js-rest',
    jobHandler: (job) => job.complete({ restSaw: job.variables.grpcSaw + 1 }),
  })
  const result = await zbc.createProcessInstanceWithResult({
    bpmnProcessId: 'both',
    variables: { n: 41 },
    requestTimeout: 20_000,
  })
  outcome.variables = { grpcSaw: result.variables.grpcSaw, restSaw: result.variables.restSaw }
  await grpcWorker.close()
  restWorker.stop()
  await zbc.close()
  console.log(JSON.stringify(outcome))
  process.exit(0)
}

main().catch((e) => {
  console.error('FAILED', e && (e.stack || e))
  process.exit(1)
})
