"""Stage contracts: what each pipeline stage requires from the analysis and what it assigns.

A stage is a function ``Analysis -> Analysis``. Its module declares a ``Contract`` beside it, as
spaCy components declare ``requires`` and ``assigns``: the ``Analysis`` fields it reads and the
ones it fills (``document.published`` stands for the publication-date cascade: metadata, front
matter, sidecar, URL, dateline, header and inference). The runner checks the order of its stages
once, before any document runs, and refuses an order in which a stage would read a field no
earlier stage has filled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from khabar.errors import ConfigError
from khabar.records import Analysis

StageFn = Callable[[Analysis], Analysis]
GIVEN = frozenset({"document"})  # what every analysis starts with


@dataclass(slots=True, frozen=True)
class Contract:
    """A stage's name and the analysis fields it requires and assigns."""

    name: str
    requires: frozenset[str]
    assigns: frozenset[str]


@dataclass(slots=True, frozen=True)
class Stage:
    """A stage bound to its resources, with its contract."""

    contract: Contract
    run: StageFn

    @property
    def name(self) -> str:
        """The stage's name."""
        return self.contract.name


def check_order(contracts: Sequence[Contract], given: frozenset[str] = GIVEN) -> None:
    """Refuse an order in which a stage requires a field that no earlier stage assigns."""
    available = set(given)
    for number, contract in enumerate(contracts):
        missing = contract.requires - available
        if missing:
            later = {field: c.name for c in contracts[number + 1:] for field in c.assigns}
            reasons = [f"{f} (assigned by {later[f]}, which runs later)" if f in later
                       else f"{f} (assigned by no stage)" for f in sorted(missing)]
            raise ConfigError(f"stage {contract.name!r} requires {', '.join(reasons)}; "
                              f"order the stages so that each runs after the stages it reads from")
        available |= contract.assigns
