"""``consejo allocate FILE.json``, file to printed plan, against OR-Tools' bare min-cost flow fed
from the same file.

Run: ``.venv/bin/python benchmarks/allocate_file.py [--recipients 100000] [--runs 5]`` (``make
bench`` runs it). Figures: docs/allocation.md ("Speed").

The file is the instance of ``benchmarks/allocation_peers.py`` (seeded: 20 depots, 3 items,
4 tiers, 3-5 routes a recipient at a cost of 1-99, needs of 1-40, stock for about 60 % of the
need), written once as the JSON of docs/allocation.md. Then, alternating, ``--runs`` times each:

- **consejo**: ``consejo.offline.allocate_output(file=...)``, what ``consejo allocate`` runs:
  read the file, check it, the whole plan (tiers, leximin fairness, least cost, whole units, no
  waste), the plan as JSON, written to a file.
- **peer**: the same file read with the same msgspec decoder (the same types and ranges checked
  in C; nothing else checked), turned into arrays, one OR-Tools ``SimpleMinCostFlow`` per item
  with the priority folded into the cost (a unit to tier t is worth (tiers + 1 - t) times a gap
  above any path's cost; no fairness), and its flows written as JSON shipments the way consejo
  writes its own (msgspec, indented), to a file.

It prints the median of each, their ratio, the hardware and the versions.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from itertools import chain
from pathlib import Path

import msgspec
import numpy as np
from ortools.graph.python import min_cost_flow

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.allocation_peers import DEPOTS, ITEMS, Instance
from consejo import offline
from consejo.core.allocation import reading


def write_problem(instance: Instance, path: Path) -> None:
    """The instance as the JSON file that ``consejo allocate`` reads."""
    depot_ids = [f"depot-{d:02d}" for d in range(DEPOTS)]
    starts = np.concatenate([[0], np.cumsum(np.bincount(instance.route_recipient))]).tolist()
    route_depot, route_cost = instance.route_depot.tolist(), instance.route_cost.tolist()
    need, tier = instance.need.T.tolist(), instance.tier.tolist()
    problem = {
        "items": [{"id": item, "unit": "unit"} for item in ITEMS],
        "depots": [
            {
                "id": depot_ids[d],
                "stock": {i: int(instance.stock[k, d]) for k, i in enumerate(ITEMS)},
            }
            for d in range(DEPOTS)
        ],
        "recipients": [
            {
                "id": f"r{r}",
                "tier": tier[r],
                "need": {item: n for item, n in zip(ITEMS, need[r], strict=True) if n},
                "routes": [
                    {"depot": depot_ids[route_depot[a]], "cost": route_cost[a]}
                    for a in range(starts[r], starts[r + 1])
                ],
            }
            for r in range(instance.recipients)
        ],
    }
    path.write_bytes(msgspec.json.encode(problem))


def consejo_allocate(problem: Path, output: Path) -> None:
    """What ``consejo allocate FILE`` does, in process: the plan, printed (here to a file)."""
    with output.open("w", encoding="utf-8") as sink:
        sink.write(offline.allocate_output(file=str(problem)) + "\n")


class _FlowOut(msgspec.Struct, gc=False):
    depot: str
    recipient: str
    item: str
    units: int
    cost: int


def peer_allocate(problem: Path, output: Path) -> None:
    """The same file, the same decoder; one bare min-cost flow per item; its flows as JSON."""
    data = reading._DECODER.decode(offline.read_input(str(problem)))
    items = [item.id for item in data.items]
    item_index = {item: k for k, item in enumerate(items)}
    depot_ids = [depot.id for depot in data.depots]
    depot_index = {depot: d for d, depot in enumerate(depot_ids)}
    depots, recipients = len(depot_ids), len(data.recipients)
    stock = np.zeros((len(items), depots), dtype=np.int64)
    for d, depot in enumerate(data.depots):
        for item, units in depot.stock.items():
            stock[item_index[item], d] = units
    recipient_ids = [recipient.id for recipient in data.recipients]
    tier = np.array([recipient.tier for recipient in data.recipients], dtype=np.int64)
    need = np.zeros((len(items), recipients), dtype=np.int64)
    needs = [recipient.need for recipient in data.recipients]
    need_recipient = np.repeat(np.arange(recipients), [len(n) for n in needs])
    need_item = np.array([item_index[i] for i in chain.from_iterable(needs)], dtype=np.int64)
    need[need_item, need_recipient] = list(chain.from_iterable(n.values() for n in needs))
    routes = [recipient.routes for recipient in data.recipients]
    flat = list(chain.from_iterable(routes))
    route_recipient = np.repeat(np.arange(recipients, dtype=np.int32), [len(r) for r in routes])
    route_depot = np.array([depot_index[route.depot] for route in flat], dtype=np.int32)
    route_cost = np.array([route.cost for route in flat], dtype=np.int64)
    # A unit to a higher tier is worth more than any path's cost (at most 2·depots arcs).
    gap = 2 * depots * int(route_cost.max(initial=0)) + 1
    weight = (int(tier.max(initial=1)) + 1 - tier) * gap
    sink = depots + recipients
    out: list[_FlowOut] = []
    names = np.array(recipient_ids, dtype=object)
    depot_names = np.array(depot_ids, dtype=object)
    for k, item in enumerate(items):
        solver = min_cost_flow.SimpleMinCostFlow()
        arcs = solver.add_arcs_with_capacity_and_unit_cost(
            route_depot,
            route_recipient + depots,
            np.minimum(need[k][route_recipient], stock[k][route_depot]),
            route_cost,
        )
        solver.add_arcs_with_capacity_and_unit_cost(
            np.arange(depots, sink, dtype=np.int32),
            np.full(recipients, sink, dtype=np.int32),
            need[k],
            -weight,
        )
        solver.add_arcs_with_capacity_and_unit_cost(
            np.arange(depots, dtype=np.int32),
            np.full(depots, sink, dtype=np.int32),
            stock[k],
            np.zeros(depots, dtype=np.int64),
        )
        solver.set_nodes_supplies(np.arange(depots, dtype=np.int32), stock[k])
        solver.set_node_supply(sink, -int(stock[k].sum()))
        if solver.solve() != solver.OPTIMAL:
            raise SystemExit("the min-cost flow failed")
        flows = np.asarray(solver.flows(np.asarray(arcs, dtype=np.int32)))
        used = np.flatnonzero(flows)
        out.extend(
            map(
                _FlowOut,
                depot_names[route_depot[used]].tolist(),
                names[route_recipient[used]].tolist(),
                [item] * len(used),
                flows[used].tolist(),
                route_cost[used].tolist(),
            )
        )
    text = msgspec.json.format(msgspec.json.encode({"shipments": out}), indent=1)
    output.write_bytes(text + b"\n")


def timed(call: Callable[[], None]) -> float:
    gc.collect()
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def hardware() -> str:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout  # noqa: S607
    except OSError:
        lscpu = ""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in lscpu.splitlines()
            if line.startswith("Model name")
        ),
        platform.processor() or "unknown CPU",
    )
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    print(f"# {hardware()}")
    print(
        f"# msgspec {version('msgspec')}, ortools {version('ortools')}, numpy {version('numpy')};"
        f" load average {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory() as folder:
        problem = Path(folder) / "problem.json"
        instance = Instance(arguments.recipients)
        write_problem(instance, problem)
        size = problem.stat().st_size
        print(
            f"{arguments.recipients:,} recipients, {len(instance.route_depot):,} routes, "
            f"{len(ITEMS)} items: a file of {size / 2**20:.1f} MB"
        )
        ours, peers = [], []
        for _ in range(arguments.runs):
            ours.append(timed(lambda: consejo_allocate(problem, Path(folder) / "plan.json")))
            peers.append(timed(lambda: peer_allocate(problem, Path(folder) / "flows.json")))
        plan = (Path(folder) / "plan.json").stat().st_size
        flows = (Path(folder) / "flows.json").stat().st_size
    mine, theirs = statistics.median(ours), statistics.median(peers)
    print(
        f"consejo allocate, file to printed plan  {mine:6.2f} s"
        f"  (runs: {_runs(ours)}; {plan / 2**20:.0f} MB out)"
    )
    print(
        f"OR-Tools bare min-cost flow, same file  {theirs:6.2f} s"
        f"  (runs: {_runs(peers)}; {flows / 2**20:.0f} MB out)"
    )
    print(f"consejo / peer: {mine / theirs:.2f}x")


def _runs(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


if __name__ == "__main__":
    main()
