"""Language switching: our own translations (resources/i18n/console_<lang>.qm) plus Qt's own
qtbase_<lang> (standard buttons, dialogs). Source strings are English.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from console.resources import resource

log = logging.getLogger(__name__)
LANGUAGES = {"zh_CN": "中文", "en": "English"}


def system_language() -> str:
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


class Translations:
    """Installs and swaps translators; Qt then sends LanguageChange to every widget."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.language = "en"

    def apply(self, language: str) -> str:
        language = language if language in LANGUAGES else system_language()
        for tr in self._installed:
            self._app.removeTranslator(tr)
        self._installed.clear()
        own = QTranslator(self._app)
        qm = resource("i18n", f"console_{language}.qm")
        if own.load(str(qm)):
            self._installed.append(own)
        elif language != "en":
            log.error("translation file missing: %s (run scripts/setup.sh)", qm)
        qt = QTranslator(self._app)
        if language != "en" and qt.load(
            QLocale(language),
            "qtbase",
            "_",
            QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        ):
            self._installed.append(qt)
        for tr in self._installed:
            self._app.installTranslator(tr)
        QLocale.setDefault(QLocale(language))
        self.language = language
        return language
