"""Help → About: what this is and the versions it is built on."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from console.versions import component_versions


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About Hotline Console"))
        rows = "".join(
            f"<tr><td>{k}</td><td>&nbsp;&nbsp;{v}</td></tr>"
            for k, v in component_versions().items()
        )
        text = QLabel(
            "<h3>"
            + self.tr("Hotline Supervisor Console")
            + "</h3><p>"
            + self.tr("Live floor, monitoring and alarms for customer-service hotlines.")
            + f"</p><table>{rows}</table>"
        )
        text.setObjectName("aboutText")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        lay.addWidget(buttons)
