// The gRPC side of @camunda8/sdk 8.8 against Cadenza's gateway (run by test_grpc_js_sdk_e2e.py).
// Usage: node grpc_js_scenario.js <host:port> <directory with ship.bpmn and pushed.bpmn>
// Prints one JSON line with what the client saw.
const path = require('path')
const { Camunda8 } = require('@camunda8/sdk')

const [address, dir] = process.argv.slice(2)

async function main() {
  const c8 = new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://${address}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
  })
  const zbc = c8.getZeebeGrpcApiClient()
  const outcome = {}

  const topology = await zbc.topology()
  outcome.brokers = topology.brokers.length
  outcome.gatewayVersion = topology.gatewayVersion

  const deployed = await zbc.deployResources([
    { processFilename: path.join(dir, 'ship.bpmn') },
    { processFilename: path.join(dir, 'pushed.bpmn') },
  ])
  outcome.deployed = deployed.deployments.map((d) => d.process.bpmnProcessId).sort()

  // A polling worker with a 50 s long poll, as the SDK's workers do by default.
  const polled = new Promise((resolve) => {
    zbc.createWorker({
      taskType: 'ship',
      longPoll: 50_000,
      taskHandler: async (job) => {
        const done = await job.complete({ shipped: job.variables.amount * 2 })
        resolve(job.variables.amount)
        return done
      },
    })
  })
  await zbc.createProcessInstance({ bpmnProcessId: 'ship', variables: { amount: 21 } })
  outcome.polledAmount = await polled

  // A streaming worker: the job is pushed as it is created.
  const pushed = new Promise((resolve) => {
    zbc.streamJobs({
      type: 'pushed',
      worker: 'js-stream',
      timeout: 30_000,
      taskHandler: async (job) => {
        const done = await job.complete({ via: job.customHeaders.via })
        resolve(job.customHeaders.via)
        return done
      },
    })
  })
  await new Promise((r) => setTimeout(r, 300)) // let the stream open
  await zbc.createProcessInstance({ bpmnProcessId: 'pushed', variables: {} })
  outcome.pushedVia = await pushed

  try {
    await zbc.createProcessInstance({ bpmnProcessId: 'nope', variables: {} })
    outcome.unknown = 'created'
  } catch (error) {
    outcome.unknown = error.code
  }
  const published = await zbc.publishMessage({
    name: 'paid',
    correlationKey: 'o-1',
    variables: { total: 5 },
    timeToLive: 1000,
  })
  outcome.published = typeof published.key
  await zbc.close()
  console.log(JSON.stringify(outcome))
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
