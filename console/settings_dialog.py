"""File → Settings: PBX connection and the supervisor's SIP account.

Validation messages come from console/settings.py so the loader and the dialog agree. Secrets
are written to the SecretStore, never to the settings file.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.secrets import SecretStore
from console.settings import PBX_ASTERISK, PBX_LAB, Settings

AMI_SECRET_KEY = "ami-secret"
SIP_PASSWORD_KEY = "sip-password"


class SettingsDialog(QDialog):
    """Edits Settings; emits settings_saved(Settings) after a valid save.

    Signals:
        settings_saved: the new settings were validated and persisted.
    """

    settings_saved = Signal(object)

    def __init__(self, settings: Settings, secrets: SecretStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        self._secrets = secrets

        pbx_box = QGroupBox(self.tr("PBX connection (AMI)"))
        self.pbx_mode = QComboBox()
        self.pbx_mode.addItem(self.tr("Embedded lab PBX (no PBX needed)"), PBX_LAB)
        self.pbx_mode.addItem(self.tr("Asterisk"), PBX_ASTERISK)
        self.host = QLineEdit(settings.pbx.host)
        self.host.setPlaceholderText("192.0.2.10")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(settings.pbx.port)
        self.user = QLineEdit(settings.pbx.user)
        self.secret = QLineEdit(secrets.get(AMI_SECRET_KEY))
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.tls = QCheckBox(self.tr("Use TLS"))
        self.tls.setChecked(settings.pbx.tls)
        self.spy_method = QComboBox()
        self.spy_method.addItem(self.tr("Dial feature codes (*221/*222/*223)"), "featurecode")
        self.spy_method.addItem(self.tr("AMI Originate into ChanSpy"), "originate")
        self.spy_method.setCurrentIndex(max(0, self.spy_method.findData(settings.pbx.spy_method)))
        form = QFormLayout(pbx_box)
        form.addRow(self.tr("PBX type"), self.pbx_mode)
        form.addRow(self.tr("Host"), self.host)
        form.addRow(self.tr("AMI port"), self.port)
        form.addRow(self.tr("AMI user"), self.user)
        form.addRow(self.tr("AMI secret"), self.secret)
        form.addRow("", self.tls)
        form.addRow(self.tr("Monitoring method"), self.spy_method)

        sip_box = QGroupBox(self.tr("Supervisor's SIP account"))
        self.sip_registrar = QLineEdit(settings.sip.registrar)
        self.sip_port = QSpinBox()
        self.sip_port.setRange(1, 65535)
        self.sip_port.setValue(settings.sip.port)
        self.sip_user = QLineEdit(settings.sip.user)
        self.sip_password = QLineEdit(secrets.get(SIP_PASSWORD_KEY))
        self.sip_password.setEchoMode(QLineEdit.EchoMode.Password)
        sform = QFormLayout(sip_box)
        sform.addRow(self.tr("Registrar"), self.sip_registrar)
        sform.addRow(self.tr("SIP port"), self.sip_port)
        sform.addRow(self.tr("User (extension)"), self.sip_user)
        sform.addRow(self.tr("Password"), self.sip_password)

        self.secret_note = QLabel(secrets.info.note)
        self.secret_note.setWordWrap(True)
        self.errors = QLabel()
        self.errors.setObjectName("settingsErrors")
        self.errors.setStyleSheet("color: #b3261e;")
        self.errors.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addWidget(pbx_box)
        lay.addWidget(sip_box)
        lay.addWidget(self.secret_note)
        lay.addWidget(self.errors)
        lay.addWidget(self.buttons)
        self.pbx_mode.currentIndexChanged.connect(self._on_mode_changed)
        self.pbx_mode.setCurrentIndex(max(0, self.pbx_mode.findData(settings.pbx.mode)))
        self._on_mode_changed()

    def _on_mode_changed(self) -> None:
        remote = self.pbx_mode.currentData() == PBX_ASTERISK
        for w in (
            self.host,
            self.port,
            self.user,
            self.secret,
            self.tls,
            self.spy_method,
            self.sip_registrar,
            self.sip_port,
            self.sip_user,
            self.sip_password,
        ):
            w.setEnabled(remote)

    def edited(self) -> Settings:
        pbx = replace(
            self._settings.pbx,
            mode=str(self.pbx_mode.currentData()),
            host=self.host.text().strip(),
            port=self.port.value(),
            user=self.user.text().strip(),
            tls=self.tls.isChecked(),
            spy_method=str(self.spy_method.currentData()),
        )
        sip = replace(
            self._settings.sip,
            registrar=self.sip_registrar.text().strip(),
            port=self.sip_port.value(),
            user=self.sip_user.text().strip(),
        )
        return replace(self._settings, pbx=pbx, sip=sip)

    def _on_save(self) -> None:
        new = self.edited()
        problems = new.problems()
        if new.pbx.mode == PBX_ASTERISK and not self.secret.text():
            problems.append(self.tr("Enter the AMI secret."))
        if problems:
            self.errors.setText("\n".join(problems))
            return
        try:
            self._secrets.set(AMI_SECRET_KEY, self.secret.text())
            self._secrets.set(SIP_PASSWORD_KEY, self.sip_password.text())
        except Exception as exc:  # keyring backends raise their own types
            self.errors.setText(self.tr("Cannot store the secrets: %1").replace("%1", str(exc)))
            return
        self.settings_saved.emit(new)
        self.accept()
