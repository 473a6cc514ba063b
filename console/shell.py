"""Shell controller: menus → settings dialog, language, theme, density, about.

Owns the current Settings; views get them pushed, never read them from QSettings themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from console.about_dialog import AboutDialog
from console.i18n import Translations
from console.main_window import MainWindow
from console.secrets import SecretStore
from console.settings import SettingChange, Settings, SettingsStore, settings_diff, with_ui
from console.settings_dialog import AMI_SECRET_KEY, SIP_PASSWORD_KEY, SettingsDialog

log = logging.getLogger(__name__)

_SECRET_NAMES = {AMI_SECRET_KEY: "pbx.secret", SIP_PASSWORD_KEY: "sip.password"}


class ShellController(QObject):
    """Signals:
    settings_changed(Settings): the connection settings changed (reconnect).
    settings_applied(Settings): any settings were saved from the dialog.
    settings_edited(list[SettingChange]): what the supervisor changed in the dialog (audited
        sections only, secrets without their values), for the record.
    density_changed(str): the tile density changed.
    """

    settings_changed = Signal(object)
    settings_applied = Signal(object)
    settings_edited = Signal(object)
    density_changed = Signal(str)

    def __init__(
        self,
        window: MainWindow,
        settings_store: SettingsStore,
        settings: Settings,
        secrets: SecretStore,
        translations: Translations,
        apply_theme: Callable[[str], str],
        language_override: str | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.store = settings_store
        self.settings = settings
        self.secrets = secrets
        self.translations = translations
        self._apply_theme = apply_theme
        translations.apply(language_override or settings.ui.language)
        apply_theme(settings.ui.theme)
        window.show_choices(translations.language, settings.ui.theme, settings.ui.density)
        window.settings_requested.connect(self._on_settings_requested)
        window.language_chosen.connect(self._on_language_chosen)
        window.theme_chosen.connect(self._on_theme_chosen)
        window.density_chosen.connect(self._on_density_chosen)
        window.about_requested.connect(self._on_about_requested)
        problem = settings_store.status()
        if problem:
            window.show_notice(problem)
            log.warning("%s", problem)
        self.dialog: SettingsDialog | None = None

    def _save(self, settings: Settings) -> None:
        self.settings = settings
        self.store.save(settings)
        problem = self.store.status()
        if problem:
            self.window.show_notice(problem)

    def _on_settings_requested(self) -> None:
        self.dialog = SettingsDialog(self.settings, self.secrets, self.window)
        self.dialog.settings_saved.connect(self._on_settings_saved)
        self.dialog.open()

    def _on_settings_saved(self, settings: Settings) -> None:
        old = self.settings
        self._save(settings)
        changes = settings_diff(old, settings)
        secrets = self.dialog.changed_secrets if self.dialog is not None else ()
        changes += [SettingChange(_SECRET_NAMES[k], None, None, True) for k in secrets]
        if changes:
            self.settings_edited.emit(changes)
        if (old.pbx, old.sip) != (settings.pbx, settings.sip):
            self.settings_changed.emit(settings)
        self.settings_applied.emit(settings)

    def _on_language_chosen(self, language: str) -> None:
        applied = self.translations.apply(language)
        self._save(with_ui(self.settings, language=applied))
        self.window.show_choices(applied, self.settings.ui.theme, self.settings.ui.density)

    def _on_theme_chosen(self, theme: str) -> None:
        applied = self._apply_theme(theme)
        self._save(with_ui(self.settings, theme=applied))

    def _on_density_chosen(self, density: str) -> None:
        self._save(replace(self.settings, ui=replace(self.settings.ui, density=density)))
        self.density_changed.emit(density)

    def _on_about_requested(self) -> None:
        AboutDialog(self.window).open()
