"""The floor driven by real clicks and keys over a store fed by the lab's simulation."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.modeltest import ModelTester

from console.agent_actions import AgentActions
from console.floor_controller import FloorController
from console.floor_view import FloorView
from cti.state.agent_state import AgentState
from widgets.agent_tiles import ROW_ROLE

pytestmark = [pytest.mark.gui, pytest.mark.timeout(60)]


@pytest.fixture
def floor(qtbot: Any, water_store: Any, audit: Any, make_pbx: Any) -> Any:
    store, feed = water_store
    view = FloorView(feed.clock)
    qtbot.addWidget(view)
    ctl = FloorController(store, view, store.apply, now=feed.clock)
    pbx = make_pbx(audit)
    confirmations: list[str] = []
    actions = AgentActions(
        store, pbx, audit, confirm=lambda text: confirmations.append(text) or True
    )
    ctl.rebuild()
    view.resize(1400, 900)
    view.show()
    qtbot.waitExposed(view)
    yield SimpleNamespace(
        view=view,
        ctl=ctl,
        actions=actions,
        pbx=pbx,
        store=store,
        feed=feed,
        confirmations=confirmations,
    )
    ctl.stop()
    actions.shutdown()


def test_models_pass_the_model_tester(qtmodeltester: ModelTester, floor: Any) -> None:
    view = floor.view
    qtmodeltester.check(view.agent_model)
    qtmodeltester.check(view.proxy)
    qtmodeltester.check(view.queue_model)


def test_wall_shows_every_agent_and_every_queue(floor: Any) -> None:
    view = floor.view
    store = floor.store
    assert view.agent_model.rowCount() == len(store.agents()) >= 30
    assert view.queue_model.rowCount() == len(store.queues()) + 1  # + the overview card
    assert view.queue_model.rows[0].overview
    states = {r.state for r in view.agent_model.rows}
    assert "talking" in states and "ready" in states
    assert str(len(store.agents())) in view.count_label.text()


def test_filters_search_and_sort(floor: Any, qtbot: Any) -> None:
    view = floor.view
    qtbot.keyClicks(view.search, "1001")
    assert view.proxy.rowCount() == 1
    view.search.clear()
    view.state_filter.setCurrentIndex(view.state_filter.findData("talking"))
    talking = view.proxy.rowCount()
    assert 0 < talking < len(floor.store.agents())
    assert all(view.proxy.index(r, 0).data(ROW_ROLE).state == "talking" for r in range(talking))
    view.state_filter.setCurrentIndex(0)
    view.queue_filter.setCurrentIndex(view.queue_filter.findData("vip"))
    assert 0 < view.proxy.rowCount() < len(floor.store.agents())
    view.queue_filter.setCurrentIndex(0)
    view.sort.setCurrentIndex(view.sort.findData("time"))
    sinces = [view.proxy.index(r, 0).data(ROW_ROLE).since for r in range(view.proxy.rowCount())]
    assert sinces == sorted(sinces)


def _click_tile(view: FloorView, qtbot: Any, key: str) -> None:
    assert view.select_key(key)
    rect = view.wall.visualRect(view.wall.currentIndex())
    qtbot.mouseClick(view.wall.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_click_shows_detail_and_keys_pause_unpause(floor: Any, qtbot: Any, audit: Any) -> None:
    view = floor.view
    ctl = floor.ctl
    actions = floor.actions
    pbx = floor.pbx
    store = floor.store
    ready = next(a for a in store.agents() if a.state is AgentState.READY)
    _click_tile(view, qtbot, ready.interface)
    assert ready.name in view.detail.title.text()
    view.action_requested.connect(
        lambda action, arg: actions.pause(ctl.selected_agent(), arg) if action == "pause" else None
    )
    with qtbot.waitSignal(actions.action_finished, timeout=3000) as sig:
        qtbot.keyClick(view.wall, Qt.Key.Key_P)
    assert sig.args[:2] == ["pause", True]
    assert pbx.calls == [("pause", ready.interface, True, "break", None)]
    assert [r[0] for r in audit.rows] == ["intent", "result"]
    assert audit.rows[-1][2:] == ("ok", "Success: Interface paused successfully")


def test_action_that_does_not_apply_is_refused_and_not_sent(
    floor: Any, qtbot: Any, audit: Any
) -> None:
    actions = floor.actions
    pbx = floor.pbx
    store = floor.store
    ready = next(a for a in store.agents() if a.state is AgentState.READY)
    with qtbot.waitSignal(actions.action_finished, timeout=1000) as sig:
        actions.unpause(ready)
    assert sig.args[1] is False and "not paused" in sig.args[2]
    assert pbx.calls == [] and audit.rows == []


def test_pbx_failure_is_reported_and_audited(floor: Any, qtbot: Any, audit: Any) -> None:
    actions = floor.actions
    pbx = floor.pbx
    store = floor.store
    pbx.fail = "Interface not found"
    ready = next(a for a in store.agents() if a.state is AgentState.READY)
    with qtbot.waitSignal(actions.action_finished, timeout=3000) as sig:
        actions.pause(ready, "meeting")
    assert sig.args == ["pause", False, "Interface not found"]
    assert audit.rows[-1][2:] == ("failed", "Interface not found")


def test_remove_asks_for_confirmation(floor: Any) -> None:
    actions = floor.actions
    store = floor.store
    confirmations = floor.confirmations
    agent = store.agents()[0]
    queue = agent.queues[0].queue
    assert actions.remove_from_queue(agent, queue)
    assert confirmations and queue in confirmations[0]


def test_events_reach_the_wall_through_the_coalescing_flush(floor: Any, qtbot: Any) -> None:
    view = floor.view
    ctl = floor.ctl
    store = floor.store
    feed = floor.feed
    before = {r.key: r.version for r in view.agent_model.rows}
    for ev in feed.advance(120):
        ctl.post(ev)
    with qtbot.waitSignal(ctl.repainted, timeout=2000):
        ctl.flush_timer.start()
    ctl.flush_timer.stop()
    after = {r.key: r.version for r in view.agent_model.rows}
    assert any(after[k] != before[k] for k in before), (
        "no tile changed after two minutes of traffic"
    )
    for r in view.agent_model.rows:
        a = store.agent(r.key)
        assert a is not None and r.state == a.state.value


def test_context_menu_offers_the_actions(floor: Any, qtbot: Any) -> None:
    view = floor.view
    store = floor.store
    key = store.agents()[0].interface
    assert view.select_key(key)
    menu = view.detail.context_menu(view)
    texts = [a.text() for a in menu.actions() if a.text()]
    assert any("Listen" in t for t in texts) and any("Not ready" in t for t in texts)
    menu.deleteLater()
    rect = view.wall.visualRect(view.wall.currentIndex())
    assert view.wall.indexAt(QPoint(rect.center())).isValid()
