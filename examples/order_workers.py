"""In-process job workers for examples/order.bpmn (``cadenza run --workers order_workers``)."""

import cadenza


@cadenza.job_worker("pick-item")
def pick_item(job: cadenza.ActivatedJob) -> dict[str, object]:
    """Pick one item of the order."""
    return {"picked": job.variables["item"].upper()}


@cadenza.job_worker("ship")
def ship(job: cadenza.ActivatedJob) -> dict[str, object]:
    """Ship the picked items."""
    return {"trackingId": f"TRK-{len(job.variables['pickedItems'])}"}
