"""Cascade figures computed in plain Python: the reference the SQL is tested against.

An edge ``trainer -> learner`` exists when the learner attended (or completed) a workshop the
trainer taught. A trainer's cascade is everyone reachable along edges. Pure Python, no Django.

For each trainer:

* ``direct``: people at generation 1 (taught by the trainer in person);
* ``indirect``: people first reached at generation 2 or later;
* ``depth``: the largest generation at which someone is first reached;
* ``trainers_trained``: people in the cascade who themselves taught a workshop;
* ``multiplier``: people reached through the trainers they trained (``indirect``) per trainer
  trained — ``None`` when they trained no trainer.

A person appears once, at the generation where they were first (shortest path) reached.
Cycles (A taught B, B later taught A) never loop: a person is visited once, and the trainers
who can reach themselves are reported.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class CascadeFigures:
    trainer_id: int
    direct: int
    indirect: int
    depth: int
    trainers_trained: int

    @property
    def total(self) -> int:
        return self.direct + self.indirect

    @property
    def multiplier(self) -> float | None:
        if not self.trainers_trained:
            return None
        return self.indirect / self.trainers_trained


def adjacency(edges: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    graph: dict[int, set[int]] = {}
    for trainer, learner in edges:
        if trainer != learner:
            graph.setdefault(trainer, set()).add(learner)
    return graph


def generations(graph: Mapping[int, set[int]], root: int) -> dict[int, int]:
    """Breadth-first: person -> generation at which ``root``'s cascade first reaches them."""
    seen: dict[int, int] = {}
    queue = deque([(root, 0)])
    while queue:
        person, depth = queue.popleft()
        for learner in graph.get(person, ()):
            if learner not in seen and learner != root:
                seen[learner] = depth + 1
                queue.append((learner, depth + 1))
    return seen


def figures(graph: Mapping[int, set[int]], root: int) -> CascadeFigures:
    reached = generations(graph, root)
    return CascadeFigures(
        trainer_id=root,
        direct=sum(1 for d in reached.values() if d == 1),
        indirect=sum(1 for d in reached.values() if d > 1),
        depth=max(reached.values(), default=0),
        trainers_trained=sum(1 for person in reached if graph.get(person)),
    )


def trainers_in_cycles(graph: Mapping[int, set[int]]) -> set[int]:
    """Trainers whose own cascade leads back to them (bad data: a loop in the lineage)."""
    result = set()
    for root in graph:
        stack = list(graph[root])
        seen: set[int] = set()
        while stack:
            person = stack.pop()
            if person == root:
                result.add(root)
                break
            if person in seen:
                continue
            seen.add(person)
            stack.extend(graph.get(person, ()))
    return result
