<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../console/about_dialog.py" line="14"/>
        <source>About Hotline Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/about_dialog.py" line="21"/>
        <source>Hotline Supervisor Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/about_dialog.py" line="23"/>
        <source>Live floor, monitoring and alarms for customer-service hotlines.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../console/main_window.py" line="149"/>
        <source>Hotline Supervisor Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="150"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="151"/>
        <source>&amp;Open record…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="152"/>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="153"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="154"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="155"/>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="156"/>
        <source>&amp;Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="157"/>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="158"/>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="159"/>
        <source>&amp;Density</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="160"/>
        <source>Comfortable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="161"/>
        <source>Compact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="162"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="163"/>
        <source>&amp;About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="164"/>
        <source>Not connected to a PBX.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="185"/>
        <source>not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="186"/>
        <source>connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="187"/>
        <source>logging in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="188"/>
        <source>synchronising…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="189"/>
        <source>live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="190"/>
        <source>login failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="191"/>
        <source>reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="193"/>
        <source>PBX: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../console/settings.py" line="51"/>
        <source>Unknown PBX type %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="58"/>
        <source>Enter the PBX host name or IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="62"/>
        <source>%1 is not a valid host name or IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="68"/>
        <source>The AMI port must be between 1 and 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="74"/>
        <source>Enter the AMI user name (manager.conf section).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="80"/>
        <source>Monitoring method must be feature code or AMI Originate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="87"/>
        <source>Feature code %1 may contain only digits, * and #.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="108"/>
        <source>%1 is not a valid SIP registrar host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="114"/>
        <source>Enter the supervisor&apos;s SIP user (extension).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="120"/>
        <source>The SIP port must be between 1 and 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="124"/>
        <source>SIP transport must be UDP, TCP or TLS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="190"/>
        <source>Cannot write the settings file %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="194"/>
        <source>The settings file %1 is damaged; defaults are used.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../console/settings_dialog.py" line="45"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="49"/>
        <source>PBX connection (AMI)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="51"/>
        <source>Embedded lab PBX (no PBX needed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="52"/>
        <source>Asterisk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="61"/>
        <source>Use TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="64"/>
        <source>Dial feature codes (*221/*222/*223)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="65"/>
        <source>AMI Originate into ChanSpy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="68"/>
        <source>PBX type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="69"/>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="70"/>
        <source>AMI port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="71"/>
        <source>AMI user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="72"/>
        <source>AMI secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="74"/>
        <source>Monitoring method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="76"/>
        <source>Supervisor&apos;s SIP account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="85"/>
        <source>Registrar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="86"/>
        <source>SIP port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="87"/>
        <source>User (extension)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="88"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="150"/>
        <source>Enter the AMI secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="158"/>
        <source>Cannot store the secrets: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
