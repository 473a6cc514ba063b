<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../console/about_dialog.py" line="14" />
        <source>About Hotline Console</source>
        <translation>关于热线班长台</translation>
    </message>
    <message>
        <location filename="../../console/about_dialog.py" line="21" />
        <source>Hotline Supervisor Console</source>
        <translation>热线班长台</translation>
    </message>
    <message>
        <location filename="../../console/about_dialog.py" line="23" />
        <source>Live floor, monitoring and alarms for customer-service hotlines.</source>
        <translation>客服热线的实时现场监控、监听与告警。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../console/main_window.py" line="149" />
        <source>Hotline Supervisor Console</source>
        <translation>热线班长台</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="150" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="151" />
        <source>&amp;Open record…</source>
        <translation>打开记录(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="152" />
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="153" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="154" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="155" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="156" />
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="157" />
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="158" />
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="159" />
        <source>&amp;Density</source>
        <translation>密度(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="160" />
        <source>Comfortable</source>
        <translation>宽松</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="161" />
        <source>Compact</source>
        <translation>紧凑</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="162" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="163" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="164" />
        <source>Not connected to a PBX.</source>
        <translation>未连接交换机。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="185" />
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="186" />
        <source>connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="187" />
        <source>logging in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="188" />
        <source>synchronising…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="189" />
        <source>live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="190" />
        <source>login failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="191" />
        <source>reconnecting…</source>
        <translation>正在重连…</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="193" />
        <source>PBX: %1</source>
        <translation>交换机：%1</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../console/settings.py" line="51" />
        <source>Unknown PBX type %1.</source>
        <translation>未知的交换机类型 %1。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="58" />
        <source>Enter the PBX host name or IP address.</source>
        <translation>请输入交换机主机名或 IP 地址。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="62" />
        <source>%1 is not a valid host name or IP address.</source>
        <translation>%1 不是有效的主机名或 IP 地址。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="68" />
        <source>The AMI port must be between 1 and 65535.</source>
        <translation>AMI 端口必须在 1 到 65535 之间。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="74" />
        <source>Enter the AMI user name (manager.conf section).</source>
        <translation>请输入 AMI 用户名（manager.conf 中的节名）。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="80" />
        <source>Monitoring method must be feature code or AMI Originate.</source>
        <translation>监听方式必须是特征码或 AMI 发起呼叫。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="87" />
        <source>Feature code %1 may contain only digits, * and #.</source>
        <translation>特征码 %1 只能包含数字、* 和 #。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="108" />
        <source>%1 is not a valid SIP registrar host.</source>
        <translation>%1 不是有效的 SIP 注册服务器地址。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="114" />
        <source>Enter the supervisor's SIP user (extension).</source>
        <translation>请输入班长的 SIP 用户（分机号）。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="120" />
        <source>The SIP port must be between 1 and 65535.</source>
        <translation>SIP 端口必须在 1 到 65535 之间。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="124" />
        <source>SIP transport must be UDP, TCP or TLS.</source>
        <translation>SIP 传输方式必须是 UDP、TCP 或 TLS。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="190" />
        <source>Cannot write the settings file %1.</source>
        <translation>无法写入设置文件 %1。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="194" />
        <source>The settings file %1 is damaged; defaults are used.</source>
        <translation>设置文件 %1 已损坏，已使用默认值。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../console/settings_dialog.py" line="45" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="49" />
        <source>PBX connection (AMI)</source>
        <translation>交换机连接（AMI）</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="51" />
        <source>Embedded lab PBX (no PBX needed)</source>
        <translation>内置实验交换机（无需真实交换机）</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="52" />
        <source>Asterisk</source>
        <translation>Asterisk</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="61" />
        <source>Use TLS</source>
        <translation>使用 TLS</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="64" />
        <source>Dial feature codes (*221/*222/*223)</source>
        <translation>拨特征码（*221/*222/*223）</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="65" />
        <source>AMI Originate into ChanSpy</source>
        <translation>AMI 发起 ChanSpy 呼叫</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="68" />
        <source>PBX type</source>
        <translation>交换机类型</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="69" />
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="70" />
        <source>AMI port</source>
        <translation>AMI 端口</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="71" />
        <source>AMI user</source>
        <translation>AMI 用户</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="72" />
        <source>AMI secret</source>
        <translation>AMI 密码</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="74" />
        <source>Monitoring method</source>
        <translation>监听方式</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="76" />
        <source>Supervisor's SIP account</source>
        <translation>班长 SIP 账号</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="85" />
        <source>Registrar</source>
        <translation>注册服务器</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="86" />
        <source>SIP port</source>
        <translation>SIP 端口</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="87" />
        <source>User (extension)</source>
        <translation>用户（分机号）</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="88" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="150" />
        <source>Enter the AMI secret.</source>
        <translation>请输入 AMI 密码。</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="158" />
        <source>Cannot store the secrets: %1</source>
        <translation>无法保存密码：%1</translation>
    </message>
</context>
</TS>