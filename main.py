"""Hotline Supervisor Console — entry point.

`python main.py` starts the console (on the embedded lab PBX when no PBX is configured);
subcommands are the administrator's and CI's tools. `build_console()` is the one place where
the application is assembled: everything is created here and passed in, nothing is global.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from console.app import Console
    from console.paths import AppPaths

# Subcommand name → module in console/commands (each has add_arguments() and run()).
COMMANDS: dict[str, tuple[str, str]] = {
    "lab": ("console.commands.lab", "run the embedded lab PBX standalone"),
    "replay": ("console.commands.replay", "replay a raw AMI capture through the codec and store"),
    "audit": ("console.commands.audit", "verify or export a record"),
    "check-monitoring": (
        "console.commands.check_monitoring",
        "end-to-end listen/whisper/barge self-test",
    ),
    "sms": ("console.commands.sms", "send a test SMS through a serial GSM modem"),
    "wallboard": ("console.commands.wallboard", "send a test text to a serial LED wallboard"),
    "users": ("console.commands.users", "manage supervisor accounts"),
    "bench": ("console.commands.bench", "run the benchmarks (shared/BENCH.md)"),
}


def _available_commands() -> dict[str, tuple[str, str]]:
    found = {}
    for name, (module, help_text) in COMMANDS.items():
        spec = importlib.util.find_spec(module)
        if spec is not None:
            found[name] = (module, help_text)
    return found


def build_parser() -> argparse.ArgumentParser:
    from console import APP_VERSION

    parser = argparse.ArgumentParser(
        prog="hotline-console",
        description="Hotline Supervisor Console: live floor, monitoring, alarms and record.",
    )
    parser.add_argument("--version", action="store_true", help="print component versions")
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="start offscreen, open the main window, optionally save a screenshot, exit 0",
    )
    parser.add_argument("--screenshot", metavar="FILE", help="with --self-check: save a PNG")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="UI language for this run")
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING, ERROR")
    parser.add_argument(
        "--scenario", help="embedded lab scenario for this run (e.g. water, power-2000)"
    )
    parser.add_argument("--lab-speed", type=float, default=1.0, help="embedded lab speed factor")
    parser.set_defaults(app_version=APP_VERSION)
    subs = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in _available_commands().items():
        sub = subs.add_parser(name, help=help_text)
        importlib.import_module(module).add_arguments(sub)
        sub.set_defaults(command_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from console.gc_tuning import tune_collector

    tune_collector()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from console.versions import component_versions

        for k, v in component_versions().items():
            print(f"{k}: {v}")
        return 0
    if args.command:
        module = importlib.import_module(args.command_module)
        return int(module.run(args))
    return run_gui(args)


def build_console(args: argparse.Namespace, app: QApplication, paths: AppPaths) -> Console:
    """The wiring: builds every part of the running console and connects them."""
    import time
    from dataclasses import replace

    from console.agent_actions import AgentActions
    from console.alarm_outputs import AlarmOutputs
    from console.alarms_view import AlarmController, AlarmStrip, alarm_sound
    from console.app import Console
    from console.background import Background
    from console.floor_config import CachedHistory, floor_config, tile_thresholds
    from console.floor_controller import FloorController
    from console.floor_view import FloorView
    from console.i18n import Translations
    from console.logging_setup import setup_logging
    from console.main_window import MainWindow
    from console.monitor_link import MonitorLink
    from console.pbx_link import Intake, PbxLink
    from console.record_link import RecordLink
    from console.secrets import SecretStore
    from console.settings import SettingsStore, parse_teams
    from console.settings_dialog import AMI_SECRET_KEY, SIP_PASSWORD_KEY
    from console.shell import ShellController
    from console.status import StatusPresenter
    from console.theme import apply_theme
    from console.today_seed import TodaySeed
    from cti.state.config import definitions_json
    from cti.state.seed import PinnedClock
    from cti.state.store import FloorStore

    paths.ensure()
    setup_logging(paths.logs, args.log_level)
    settings_store = SettingsStore(paths.config / "settings.ini")
    settings = settings_store.load()
    if getattr(args, "scenario", None):
        settings = replace(settings, pbx=replace(settings.pbx, lab_scenario=args.scenario))
    secrets = SecretStore(paths.config)
    translations = Translations(app)
    background = Background()

    history = CachedHistory(paths.record)
    clock = PinnedClock()  # wall time, pinned while today's history is applied
    store = FloorStore(floor_config(settings.floor, history), clock)
    record = RecordLink.open(
        paths.record,
        definitions=definitions_json(store.config),
        pbx=settings.pbx.identity(),
        retention_days=settings.record.keep_days,
        # replay derives wrap-up as the live floor does when Asterisk does not report it
        wrapup_s=store.config.wrapup_by_queue,
        default_wrapup_s=store.config.wrapup_s,
    )
    floor = FloorView(time.time)
    window = MainWindow(floor=floor, can_open_record=True)
    shell = ShellController(
        window=window,
        settings_store=settings_store,
        settings=settings,
        secrets=secrets,
        translations=translations,
        apply_theme=lambda theme: apply_theme(app, theme),
        language_override=args.lang,
    )
    status = StatusPresenter(window, floor, store)
    intake = Intake(store, record.journal if record.ok else None, status.on_link)
    controller = FloorController(
        store,
        floor,
        intake,
        now=time.time,
        thresholds=tile_thresholds(settings.floor),
        teams=dict(parse_teams(settings.floor.teams)),
    )
    link = PbxLink(
        settings,
        secret=lambda: secrets.get(AMI_SECRET_KEY),
        background=background,
        post=controller.post,
        lab_speed=getattr(args, "lab_speed", 1.0) or 1.0,
    )
    monitor = MonitorLink(record.record, store, originate=None, parent=window)
    window.monitor_banner.hide()
    monitor.banner_changed.connect(window.show_monitor_banner)
    monitor.registration_changed.connect(window.sip_label.setText)
    monitor.session_lost.connect(window.show_notice)
    link.lab_started.connect(
        lambda info: (
            monitor.configure(
                f"{info.sip_host}:{info.sip_port}", info.supervisor_user, info.supervisor_password
            )
            if info.sip_port
            else None
        )
    )
    if settings.pbx.mode != "lab" and settings.sip.registrar:
        monitor.configure(
            f"{settings.sip.registrar}:{settings.sip.port}",
            settings.sip.user,
            secrets.get(SIP_PASSWORD_KEY),
        )
    actions = AgentActions(
        store, link, record.audit(), confirm=status.confirm, monitor=monitor, parent=window
    )
    status.connect_actions(actions, controller)
    strip = AlarmStrip()
    window.top_area.addWidget(strip)
    outputs = AlarmOutputs(settings.devices, paths.outbox, parent=window)
    outputs.status_changed.connect(window.show_notice)
    alarms = AlarmController(
        store,
        strip,
        record.record,
        supervisor=lambda: record.supervisor,
        link_up=lambda: store.is_live,
        sound=alarm_sound() if settings.devices.alarm_sound else None,
        outputs=outputs,
        parent=window,
    )
    shell.settings_edited.connect(record.settings_edited)
    shell.settings_applied.connect(lambda s: record.set_retention(s.record.keep_days))
    shell.settings_applied.connect(lambda s: outputs.reconfigure(s.devices))
    shell.settings_applied.connect(
        lambda s: controller.set_thresholds(
            tile_thresholds(s.floor), dict(parse_teams(s.floor.teams))
        )
    )
    alarms.alarms_changed.connect(controller.show_alarms)
    record.start_session()
    record.show_state(window)
    link.failed.connect(status.on_link_failed)
    shell.settings_changed.connect(link.restart)
    shell.density_changed.connect(floor.set_density)
    floor.set_density(settings.ui.density)
    window.record_open_requested.connect(lambda: status.open_review(paths.record))

    console = Console(app=app, paths=paths, window=window, shell=shell)
    console.floor_ready = lambda: store.is_live and floor.agent_model.rowCount() > 0
    console.parts.update(
        store=store,
        floor=floor,
        controller=controller,
        actions=actions,
        monitor=monitor,
        record=record,
        alarms=alarms,
        link=link,
        status=status,
    )
    console.on_shutdown("background", background.shutdown)
    console.on_shutdown("record", record.close)
    console.on_shutdown("history", history.close)
    console.on_shutdown("pbx link", link.stop)
    console.on_shutdown("sip phone", monitor.shutdown)
    console.on_shutdown("actions", actions.shutdown)
    console.on_shutdown("floor", controller.stop)
    console.on_shutdown("alarm outputs", outputs.stop)
    console.on_shutdown("alarms", alarms.stop)
    # The PBX link starts at once (its events wait in the controller's inbox); the floor and
    # the alarms start once the day's earlier figures are back from the record.
    outputs.start()
    link.start()
    seed = TodaySeed(
        record.path if record.ok else None,
        record.record.opened_seq if record.record is not None else 0,
        settings.pbx.identity(),
        store,
        clock,
        parent=window,
    )
    seed.progress.connect(status.show_restoring)

    def floor_starts(applied: int) -> None:
        status.restoring_done(seed.skipped_rows)
        if applied:
            controller.earlier = seed.earlier_segments
        controller.start()
        alarms.start()

    seed.finished.connect(floor_starts)
    console.on_shutdown("today's figures", seed.stop)
    console.parts["seed"] = seed
    seed.start()
    return console


def run_gui(args: argparse.Namespace) -> int:
    if args.self_check and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.self_check:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from console import APP_NAME, APP_ORG, APP_VERSION
    from console.paths import app_paths

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ORG)
    app.setApplicationVersion(APP_VERSION)
    console = build_console(args, app, app_paths())
    screen = app.primaryScreen()
    area = screen.availableGeometry() if screen is not None else None
    if area is not None and area.width() >= 1280 and area.height() >= 760:
        if args.self_check:
            console.window.setGeometry(area)  # the screenshot shows the whole screen's worth
            console.window.show()
        else:
            console.window.showMaximized()
    else:
        console.window.show()
    if os.environ.get("HOTLINE_STARTUP_MARK"):
        app.processEvents()
        import time

        print(f"STARTUP-SHOWN {time.time():.6f}", flush=True)
    if args.self_check:
        from console.self_check import run_self_check

        return run_self_check(console, args.screenshot)
    code = app.exec()
    console.shutdown()
    return code


if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        os.environ.setdefault("PYTHONUTF8", "1")
    sys.exit(main())
