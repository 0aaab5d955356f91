"""Tests of stage contracts: the runner refuses an order in which a stage reads what comes later."""

from __future__ import annotations

import pytest

from khabar.errors import ConfigError
from khabar.stages import Contract, check_order

NLP = Contract("nlp", frozenset({"document"}), frozenset({"tokens", "sentences"}))
TIME = Contract("time", frozenset({"tokens"}), frozenset({"times", "document.published"}))
ACTORS = Contract("actors", frozenset({"tokens", "document.published"}), frozenset({"actors"}))


def test_a_good_order_passes() -> None:
    check_order([NLP, TIME, ACTORS])


def test_a_stage_before_what_it_reads_is_refused_naming_both() -> None:
    with pytest.raises(ConfigError, match=r"stage 'actors' requires document\.published \(assigned by time, which "
                                          r"runs later\)"):
        check_order([NLP, ACTORS, TIME])


def test_a_field_nothing_assigns_is_named() -> None:
    with pytest.raises(ConfigError, match=r"requires tokens \(assigned by no stage\)"):
        check_order([TIME])
