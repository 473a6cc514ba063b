"""File → Settings: PBX connection and the supervisor's SIP account.

Validation messages come from console/settings.py so the loader and the dialog agree. Secrets
are written to the SecretStore, never to the settings file.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.floor_adapter import formula_label
from console.secrets import SecretStore, SecretStoreInfo
from console.settings import (
    PBX_ASTERISK,
    PBX_LAB,
    DeviceSettings,
    FloorSettings,
    RecordSettings,
    Settings,
)
from cti.state.metrics import SlFormula

AMI_SECRET_KEY = "ami-secret"
SIP_PASSWORD_KEY = "sip-password"


def setting_labels() -> dict[str, str]:
    """The dialog's label of each setting ("pbx.host"), in the UI language; the dialog builds
    its forms from these and the review names recorded setting changes with them."""
    t = QCoreApplication.translate
    return {
        "pbx": t("SettingsDialog", "PBX connection (AMI)"),
        "pbx.mode": t("SettingsDialog", "PBX type"),
        "pbx.host": t("SettingsDialog", "Host"),
        "pbx.port": t("SettingsDialog", "AMI port"),
        "pbx.user": t("SettingsDialog", "AMI user"),
        "pbx.secret": t("SettingsDialog", "AMI secret"),
        "pbx.tls": t("SettingsDialog", "Use TLS"),
        "pbx.spy_method": t("SettingsDialog", "Monitoring method"),
        "sip": t("SettingsDialog", "Supervisor's SIP account"),
        "sip.registrar": t("SettingsDialog", "Registrar"),
        "sip.port": t("SettingsDialog", "SIP port"),
        "sip.user": t("SettingsDialog", "User (extension)"),
        "sip.password": t("SettingsDialog", "Password"),
        "floor": t("SettingsDialog", "Floor"),
        "floor.interval_minutes": t("SettingsDialog", "Interval"),
        "floor.sl_threshold_s": t("SettingsDialog", "Service level: answered within"),
        "floor.sl_target_percent": t("SettingsDialog", "Service level target"),
        "floor.sl_formula": t("SettingsDialog", "Service level formula"),
        "floor.short_abandon_s": t("SettingsDialog", "Short abandon below"),
        "floor.wrapup_s": t("SettingsDialog", "Wrap-up time (not reported by Asterisk)"),
        "floor.talk_warn_s": t("SettingsDialog", "Long call: warn"),
        "floor.talk_alarm_s": t("SettingsDialog", "Long call: alarm"),
        "floor.wrapup_warn_s": t("SettingsDialog", "Long wrap-up: warn"),
        "floor.wrapup_alarm_s": t("SettingsDialog", "Long wrap-up: alarm"),
        "floor.not_ready_warn_s": t("SettingsDialog", "Long not ready: warn"),
        "floor.not_ready_alarm_s": t("SettingsDialog", "Long not ready: alarm"),
        "floor.teams": t("SettingsDialog", "Teams (extension ranges)"),
        "devices": t("SettingsDialog", "Alarm outputs"),
        "devices.alarm_sound": t("SettingsDialog", "Play a sound when an alarm is raised"),
        "devices.wallboard_port": t("SettingsDialog", "LED wallboard port"),
        "devices.wallboard_protocol": t("SettingsDialog", "Wallboard protocol"),
        "devices.wallboard_baud": t("SettingsDialog", "Wallboard speed"),
        "devices.wallboard_address": t("SettingsDialog", "Wallboard address"),
        "devices.modem_port": t("SettingsDialog", "GSM modem port"),
        "devices.sms_recipients": t("SettingsDialog", "Text these numbers when an alarm escalates"),
        "record": t("SettingsDialog", "Record"),
        "record.retention_days": t("SettingsDialog", "Keep the record for"),
    }


def setting_label(key: str) -> str:
    """A recorded setting key as "section · label" in the UI language; unknown keys as is."""
    labels = setting_labels()
    section = key.split(".", 1)[0]
    if key not in labels or section not in labels:
        return key
    return f"{labels[section]} · {labels[key]}"


class SettingsDialog(QDialog):
    """Edits Settings; emits settings_saved(Settings) after a valid save.

    Signals:
        settings_saved: the new settings were validated and persisted; `changed_secrets`
            then names the secrets (AMI_SECRET_KEY, SIP_PASSWORD_KEY) the supervisor changed.
    """

    settings_saved = Signal(object)

    def __init__(self, settings: Settings, secrets: SecretStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        self._secrets = secrets
        self.changed_secrets: tuple[str, ...] = ()
        labels = setting_labels()

        pbx_box = QGroupBox(labels["pbx"])
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
        self.tls = QCheckBox(labels["pbx.tls"])
        self.tls.setChecked(settings.pbx.tls)
        self.spy_method = QComboBox()
        self.spy_method.addItem(self.tr("Dial feature codes (*221/*222/*223)"), "featurecode")
        self.spy_method.addItem(self.tr("AMI Originate into ChanSpy"), "originate")
        self.spy_method.setCurrentIndex(max(0, self.spy_method.findData(settings.pbx.spy_method)))
        form = QFormLayout(pbx_box)
        form.addRow(labels["pbx.mode"], self.pbx_mode)
        form.addRow(labels["pbx.host"], self.host)
        form.addRow(labels["pbx.port"], self.port)
        form.addRow(labels["pbx.user"], self.user)
        form.addRow(labels["pbx.secret"], self.secret)
        form.addRow("", self.tls)
        form.addRow(labels["pbx.spy_method"], self.spy_method)

        sip_box = QGroupBox(labels["sip"])
        self.sip_registrar = QLineEdit(settings.sip.registrar)
        self.sip_port = QSpinBox()
        self.sip_port.setRange(1, 65535)
        self.sip_port.setValue(settings.sip.port)
        self.sip_user = QLineEdit(settings.sip.user)
        self.sip_password = QLineEdit(secrets.get(SIP_PASSWORD_KEY))
        self.sip_password.setEchoMode(QLineEdit.EchoMode.Password)
        sform = QFormLayout(sip_box)
        sform.addRow(labels["sip.registrar"], self.sip_registrar)
        sform.addRow(labels["sip.port"], self.sip_port)
        sform.addRow(labels["sip.user"], self.sip_user)
        sform.addRow(labels["sip.password"], self.sip_password)

        self.secret_note = QLabel(self._secret_note(secrets.info))
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

        connection = QWidget()
        cl = QVBoxLayout(connection)
        cl.addWidget(pbx_box)
        cl.addWidget(sip_box)
        cl.addWidget(self.secret_note)
        cl.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.addTab(connection, self.tr("Connection"))
        self.tabs.addTab(self._floor_page(settings.floor), labels["floor"])
        self.tabs.addTab(self._devices_page(settings.devices), labels["devices"])
        self.tabs.addTab(self._record_page(settings.record), labels["record"])
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addWidget(self.errors)
        lay.addWidget(self.buttons)
        self.pbx_mode.currentIndexChanged.connect(self._on_mode_changed)
        self.pbx_mode.setCurrentIndex(max(0, self.pbx_mode.findData(settings.pbx.mode)))
        self._on_mode_changed()

    def _spin(self, value: int, lo: int, hi: int, suffix: str = "") -> QSpinBox:
        box = QSpinBox()
        box.setRange(lo, hi)
        box.setValue(value)
        if suffix:
            box.setSuffix(suffix)
        return box

    def _floor_page(self, f: FloorSettings) -> QWidget:
        labels = setting_labels()
        page = QWidget()
        form = QFormLayout(page)
        sec = self.tr(" s")
        self.interval = QComboBox()
        for m in (15, 30, 60):
            self.interval.addItem(self.tr("%1 minutes").replace("%1", str(m)), m)
        self.interval.setCurrentIndex(max(0, self.interval.findData(f.interval_minutes)))
        self.sl_threshold = self._spin(f.sl_threshold_s, 1, 600, sec)
        self.sl_target = self._spin(f.sl_target_percent, 1, 100, " %")
        self.sl_formula = QComboBox()
        for formula in SlFormula:
            self.sl_formula.addItem(formula_label(formula), formula.value)
        self.sl_formula.setCurrentIndex(max(0, self.sl_formula.findData(f.sl_formula)))
        self.short_abandon = self._spin(f.short_abandon_s, 0, 60, sec)
        self.wrapup = self._spin(f.wrapup_s, 0, 3600, sec)
        self.limits = {
            name: (
                self._spin(getattr(f, f"{name}_warn_s"), 1, 36000, sec),
                self._spin(getattr(f, f"{name}_alarm_s"), 1, 36000, sec),
            )
            for name in ("talk", "wrapup", "not_ready")
        }
        self.teams = QLineEdit(f.teams)
        self.teams.setPlaceholderText(self.tr("Team A:1001-1020;Team B:1021-1040"))
        form.addRow(labels["floor.interval_minutes"], self.interval)
        form.addRow(labels["floor.sl_threshold_s"], self.sl_threshold)
        form.addRow(labels["floor.sl_target_percent"], self.sl_target)
        form.addRow(labels["floor.sl_formula"], self.sl_formula)
        form.addRow(labels["floor.short_abandon_s"], self.short_abandon)
        form.addRow(labels["floor.wrapup_s"], self.wrapup)
        for name, label in (
            ("talk", self.tr("Long call: warn / alarm")),
            ("wrapup", self.tr("Long wrap-up: warn / alarm")),
            ("not_ready", self.tr("Long not ready: warn / alarm")),
        ):
            row = QHBoxLayout()
            row.addWidget(self.limits[name][0])
            row.addWidget(self.limits[name][1])
            form.addRow(label, row)
        form.addRow(labels["floor.teams"], self.teams)
        note = QLabel(
            self.tr(
                "Interval and service-level definitions apply from the next start of the console."
            )
        )
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _record_page(self, r: RecordSettings) -> QWidget:
        labels = setting_labels()
        page = QWidget()
        form = QFormLayout(page)
        self.retention = self._spin(r.retention_days, 0, 3650, self.tr(" days"))
        self.retention.setSpecialValueText(self.tr("everything (no limit)"))
        form.addRow(labels["record.retention_days"], self.retention)
        note = QLabel(
            self.tr(
                "Older rows are removed once an hour. Each removal leaves an anchor row, so "
                "the rest of the record still verifies. Changes are recorded and apply at once."
            )
        )
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _devices_page(self, d: DeviceSettings) -> QWidget:
        labels = setting_labels()
        page = QWidget()
        form = QFormLayout(page)
        self.alarm_sound = QCheckBox(labels["devices.alarm_sound"])
        self.alarm_sound.setChecked(d.alarm_sound)
        self.wallboard_port = QLineEdit(d.wallboard_port)
        self.wallboard_port.setPlaceholderText("/dev/ttyUSB0  ·  COM3")
        self.wallboard_protocol = QComboBox()
        self.wallboard_protocol.addItem(self.tr("Alpha Sign protocol"), "alpha")
        self.wallboard_protocol.addItem(
            self.tr("Plain text lines (Chinese-capable signs)"), "plain"
        )
        self.wallboard_protocol.setCurrentIndex(
            max(0, self.wallboard_protocol.findData(d.wallboard_protocol))
        )
        self.wallboard_baud = QComboBox()
        for b in (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200):
            self.wallboard_baud.addItem(str(b), b)
        self.wallboard_baud.setCurrentIndex(max(0, self.wallboard_baud.findData(d.wallboard_baud)))
        self.wallboard_address = QLineEdit(d.wallboard_address)
        self.modem_port = QLineEdit(d.modem_port)
        self.modem_port.setPlaceholderText("/dev/ttyUSB1  ·  COM4")
        self.sms_recipients = QLineEdit(d.sms_recipients)
        self.sms_recipients.setPlaceholderText("+8613800138000, 13900139000")
        form.addRow(self.alarm_sound)
        form.addRow(labels["devices.wallboard_port"], self.wallboard_port)
        form.addRow(labels["devices.wallboard_protocol"], self.wallboard_protocol)
        form.addRow(labels["devices.wallboard_baud"], self.wallboard_baud)
        form.addRow(labels["devices.wallboard_address"], self.wallboard_address)
        form.addRow(labels["devices.modem_port"], self.modem_port)
        form.addRow(labels["devices.sms_recipients"], self.sms_recipients)
        return page

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
        floor = replace(
            self._settings.floor,
            interval_minutes=int(self.interval.currentData()),
            sl_threshold_s=self.sl_threshold.value(),
            sl_target_percent=self.sl_target.value(),
            sl_formula=str(self.sl_formula.currentData()),
            short_abandon_s=self.short_abandon.value(),
            wrapup_s=self.wrapup.value(),
            talk_warn_s=self.limits["talk"][0].value(),
            talk_alarm_s=self.limits["talk"][1].value(),
            wrapup_warn_s=self.limits["wrapup"][0].value(),
            wrapup_alarm_s=self.limits["wrapup"][1].value(),
            not_ready_warn_s=self.limits["not_ready"][0].value(),
            not_ready_alarm_s=self.limits["not_ready"][1].value(),
            teams=self.teams.text().strip(),
        )
        devices = replace(
            self._settings.devices,
            alarm_sound=self.alarm_sound.isChecked(),
            wallboard_port=self.wallboard_port.text().strip(),
            wallboard_protocol=str(self.wallboard_protocol.currentData()),
            wallboard_baud=int(self.wallboard_baud.currentData()),
            wallboard_address=self.wallboard_address.text().strip() or "00",
            modem_port=self.modem_port.text().strip(),
            sms_recipients=self.sms_recipients.text().strip(),
        )
        record = replace(self._settings.record, retention_days=self.retention.value())
        return replace(
            self._settings, pbx=pbx, sip=sip, floor=floor, devices=devices, record=record
        )

    def _secret_note(self, info: SecretStoreInfo) -> str:
        if info.secure:
            return self.tr("Secrets are in the system keyring.")
        return self.tr(
            "No system keyring found; secrets are kept in %1 (readable only by you, not encrypted)."
        ).replace("%1", str(info.file))

    def _on_save(self) -> None:
        new = self.edited()
        problems = new.problems()
        if new.pbx.mode == PBX_ASTERISK and not self.secret.text():
            problems.append(self.tr("Enter the AMI secret."))
        if problems:
            self.errors.setText("\n".join(problems))
            return
        typed = {AMI_SECRET_KEY: self.secret.text(), SIP_PASSWORD_KEY: self.sip_password.text()}
        try:
            changed = tuple(key for key, text in typed.items() if self._secrets.get(key) != text)
            for key in changed:
                self._secrets.set(key, typed[key])
        except Exception as exc:  # keyring backends raise their own types
            self.errors.setText(self.tr("Cannot store the secrets: %1").replace("%1", str(exc)))
            return
        self.changed_secrets = changed
        self.settings_saved.emit(new)
        self.accept()
