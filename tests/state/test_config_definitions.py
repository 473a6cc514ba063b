"""The figures' definitions as the record keeps them per console session."""

from __future__ import annotations

from cti.state.config import FloorConfig, config_from_definitions, definitions_json
from cti.state.metrics import SlFormula


def test_definitions_round_trip_through_json() -> None:
    config = FloorConfig(
        interval_minutes=15,
        sl_threshold_s=15.0,
        sl_threshold_by_queue={"vip": 10.0},
        sl_target=0.8,
        sl_target_by_queue={"vip": 0.95},
        sl_formula=SlFormula.OFFERED,
        short_abandon_s=3.0,
        wrapup_s=25.0,
        wrapup_by_queue={"complaints": 60.0},
    )
    data = definitions_json(config)
    assert data["sl_formula"] == "offered" and data["wrapup_by_queue"] == {"complaints": 60.0}
    assert config_from_definitions(data, FloorConfig()) == config


def test_malformed_recorded_values_keep_the_base() -> None:
    base = FloorConfig(sl_threshold_s=20.0, sl_target=0.9)
    data = {
        "interval_minutes": 7,
        "sl_formula": "fastest",
        "sl_threshold_s": "twenty",
        "sl_target": 1.5,  # outside (0, 1]: the whole set is refused
        "wrapup_by_queue": {"a": -1, "b": True, "c": 30},
    }
    assert config_from_definitions(data, base) == base
    del data["sl_target"]
    upgraded = config_from_definitions(data, base)
    assert upgraded.interval_minutes == 30 and upgraded.sl_threshold_s == 20.0
    assert upgraded.wrapup_by_queue == {"c": 30.0}
