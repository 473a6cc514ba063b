"""The main window shell: menus, banners, the floor area and the status bar.

The window only shows and forwards: menu choices become signals that the wiring in main.py
connects to controllers; it never changes settings, the store or the PBX itself.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QVBoxLayout, QWidget

from console.i18n import LANGUAGES
from widgets.elided_label import ElidedLabel


class MainWindow(QMainWindow):
    """Signals:
    settings_requested: File → Settings… chosen.
    record_open_requested: File → Open record… chosen.
    language_chosen(str): View → Language.
    theme_chosen(str): View → Theme.
    density_chosen(str): View → Density.
    about_requested: Help → About.
    closing: the window is closing (the app shuts down in order).
    """

    settings_requested = Signal()
    record_open_requested = Signal()
    language_chosen = Signal(str)
    theme_chosen = Signal(str)
    density_chosen = Signal(str)
    about_requested = Signal()
    closing = Signal()

    def __init__(self, floor: QWidget | None = None, can_open_record: bool = False) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.resize(1280, 800)
        self._can_open_record = can_open_record

        self.stale_banner = QLabel()
        self.stale_banner.setObjectName("staleBanner")
        self.stale_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stale_banner.setWordWrap(True)
        self.stale_banner.hide()
        self.top_area = QVBoxLayout()
        self.top_area.setContentsMargins(0, 0, 0, 0)
        self.top_area.setSpacing(0)
        self.top_area.addWidget(self.stale_banner)
        self.monitor_banner = QLabel()
        self.monitor_banner.setObjectName("monitorBanner")
        self.monitor_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.monitor_banner.setWordWrap(True)
        self.monitor_banner.hide()
        self.top_area.addWidget(self.monitor_banner)

        self.placeholder = QLabel()
        self.placeholder.setObjectName("floorPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(self.top_area)
        self.floor = floor if floor is not None else self.placeholder
        lay.addWidget(self.floor, 1)
        self.setCentralWidget(central)

        # A PBX error or a record's path can be long: these shorten, not widen the window.
        self.link_label = ElidedLabel()
        self.link_label.setObjectName("linkLabel")
        self.sip_label = QLabel()
        self.sip_label.setObjectName("sipLabel")
        self.freshness_label = QLabel()
        self.freshness_label.setObjectName("freshnessLabel")
        self.record_label = ElidedLabel()
        self.record_label.setObjectName("recordLabel")
        for w in (self.link_label, self.sip_label, self.freshness_label, self.record_label):
            self.statusBar().addPermanentWidget(w)

        self._build_menus()
        self._link_state = "disconnected"
        self._link_detail = ""
        self.retranslate()

    # -- menus -------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        mb = self.menuBar()
        self.file_menu = QMenu(mb)
        self.open_record_action = QAction(self)
        self.open_record_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_record_action.triggered.connect(self.record_open_requested)
        self.open_record_action.setVisible(self._can_open_record)
        self.settings_action = QAction(self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.settings_requested)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.open_record_action)
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.view_menu = QMenu(mb)
        self.language_menu = QMenu(self.view_menu)
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, native in LANGUAGES.items():
            act = QAction(native, self, checkable=True)
            act.setData(code)
            act.triggered.connect(lambda _=False, c=code: self.language_chosen.emit(c))
            self.language_group.addAction(act)
            self.language_menu.addAction(act)
            self.language_actions[code] = act
        self.theme_menu = QMenu(self.view_menu)
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for code in ("light", "dark"):
            act = QAction(self, checkable=True)
            act.triggered.connect(lambda _=False, c=code: self.theme_chosen.emit(c))
            self.theme_group.addAction(act)
            self.theme_menu.addAction(act)
            self.theme_actions[code] = act
        self.density_menu = QMenu(self.view_menu)
        self.density_group = QActionGroup(self)
        self.density_actions: dict[str, QAction] = {}
        for code in ("comfortable", "compact"):
            act = QAction(self, checkable=True)
            act.triggered.connect(lambda _=False, c=code: self.density_chosen.emit(c))
            self.density_group.addAction(act)
            self.density_menu.addAction(act)
            self.density_actions[code] = act
        self.view_menu.addMenu(self.language_menu)
        self.view_menu.addMenu(self.theme_menu)
        self.view_menu.addMenu(self.density_menu)

        self.help_menu = QMenu(mb)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.about_requested)
        self.help_menu.addAction(self.about_action)

        mb.addMenu(self.file_menu)
        mb.addMenu(self.view_menu)
        mb.addMenu(self.help_menu)

    def show_choices(self, language: str, theme: str, density: str) -> None:
        for code, act in self.language_actions.items():
            act.setChecked(code == language)
        for code, act in self.theme_actions.items():
            act.setChecked(code == theme)
        for code, act in self.density_actions.items():
            act.setChecked(code == density)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Hotline Supervisor Console"))
        self.file_menu.setTitle(self.tr("&File"))
        self.open_record_action.setText(self.tr("&Open record…"))
        self.settings_action.setText(self.tr("&Settings…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.theme_menu.setTitle(self.tr("&Theme"))
        self.theme_actions["light"].setText(self.tr("Light"))
        self.theme_actions["dark"].setText(self.tr("Dark"))
        self.density_menu.setTitle(self.tr("&Density"))
        self.density_actions["comfortable"].setText(self.tr("Comfortable"))
        self.density_actions["compact"].setText(self.tr("Compact"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About"))
        self.placeholder.setText(self.tr("Not connected to a PBX."))
        self._render_link()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)

    # -- status ------------------------------------------------------------------------------
    def set_link_state(self, state: str, detail: str) -> None:
        """Show the PBX link state in the status bar; state is a LinkState value name."""
        self._link_state = state
        self._link_detail = detail
        self._render_link()

    def _render_link(self) -> None:
        names = {
            "disconnected": self.tr("not connected"),
            "connecting": self.tr("connecting…"),
            "authenticating": self.tr("logging in…"),
            "syncing": self.tr("synchronising…"),
            "live": self.tr("live"),
            "auth_failed": self.tr("login failed"),
            "backoff": self.tr("reconnecting…"),
        }
        text = self.tr("PBX: %1").replace("%1", names.get(self._link_state, self._link_state))
        if self._link_detail:
            text += f" ({self._link_detail})"
        self.link_label.setText(text)
        self.link_label.setToolTip(self._link_detail)

    def show_monitor_banner(self, text: str) -> None:
        self.monitor_banner.setText(text)
        self.monitor_banner.setVisible(bool(text))

    def show_notice(self, text: str) -> None:
        """Something the supervisor should read but need not answer (status bar, 15 s)."""
        self.statusBar().showMessage(text, 15000)

    def set_stale(self, stale: bool, text: str = "") -> None:
        self.stale_banner.setVisible(stale)
        self.stale_banner.setText(text)
