<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../console/about_dialog.py" line="14" />
        <source>About Hotline Console</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/about_dialog.py" line="21" />
        <source>Hotline Supervisor Console</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/about_dialog.py" line="23" />
        <source>Live floor, monitoring and alarms for customer-service hotlines.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>AgentDetailPanel</name>
    <message>
        <location filename="../../console/agent_detail.py" line="129" />
        <source>Not ready</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="122" />
        <source>Queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="122" />
        <source>Penalty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="122" />
        <source>Paused</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="125" />
        <source>Calls answered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="126" />
        <source>Talk time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="127" />
        <source>Hold time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="128" />
        <source>Wrap-up time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="130" />
        <source>Ring no answer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="131" />
        <source>Logged in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="134" />
        <source>Today's states</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="159" />
        <source>No agent selected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="160" />
        <source>Click a tile to see the agent here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="171" />
        <source>(then %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="175" />
        <source>Caller %1 · queue %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="184" />
        <source>yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="186" />
        <source>no</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>AgentTile</name>
    <message numerus="yes">
        <location filename="../../widgets/agent_tiles.py" line="334" />
        <source>%n call(s) today</source>
        <translation><numerusform>%n call today</numerusform><numerusform>%n calls today</numerusform></translation>
    </message>
</context>
<context>
    <name>Alarms</name>
    <message>
        <location filename="../../console/alarms_view.py" line="127" />
        <source>Queue %1: service level %2, recovering (alarm below %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/alarms_view.py" line="131" />
        <source>Queue %1: projected service level %2, recovering (alarm below %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/alarms_view.py" line="137" />
        <source>Queue %1: abandon rate %2, recovering (alarm above %3)</source>
        <translation type="unfinished" />
    </message>
<message><source> (and %1 more)</source><translation type="unfinished" /></message><message><source>%1 alarms, the first: %2</source><translation type="unfinished" /></message><message><source>%1 hotline alarms not acknowledged: %2</source><translation type="unfinished" /></message><message><source>(acknowledged)</source><translation type="unfinished" /></message><message><source>+%1 more…</source><translation type="unfinished" /></message><message><source>Abandon rate</source><translation type="unfinished" /></message><message><source>Acknowledge</source><translation type="unfinished" /></message><message><source>Acknowledge alarm</source><translation type="unfinished" /></message><message><source>Agent %1: in wrap-up for %2 (limit %3)</source><translation type="unfinished" /></message><message><source>Agent %1: not ready for %2 (limit %3)</source><translation type="unfinished" /></message><message><source>Agent %1: on one call for %2 (limit %3)</source><translation type="unfinished" /></message><message><source>All active alarms</source><translation type="unfinished" /></message><message><source>Calls waiting</source><translation type="unfinished" /></message><message><source>Comment for the record:</source><translation type="unfinished" /></message><message><source>Critical</source><translation type="unfinished" /></message><message><source>Hotline alarm not acknowledged: %1</source><translation type="unfinished" /></message><message><source>Info</source><translation type="unfinished" /></message><message><source>Long call</source><translation type="unfinished" /></message><message><source>Long not ready</source><translation type="unfinished" /></message><message><source>Long wrap-up</source><translation type="unfinished" /></message><message><source>Longest wait</source><translation type="unfinished" /></message><message><source>PBX link down</source><translation type="unfinished" /></message><message><source>PBX link down: the floor is not live</source><translation type="unfinished" /></message><message><source>Phone not registered</source><translation type="unfinished" /></message><message><source>Projected service level</source><translation type="unfinished" /></message><message><source>Queue %1: %2 calls waiting (limit %3)</source><translation type="unfinished" /></message><message><source>Queue %1: abandon rate %2 above %3</source><translation type="unfinished" /></message><message><source>Queue %1: longest wait %2 (limit %3)</source><translation type="unfinished" /></message><message><source>Queue %1: projected service level %2 below %3</source><translation type="unfinished" /></message><message><source>Queue %1: service level %2 below %3</source><translation type="unfinished" /></message><message><source>Service level</source><translation type="unfinished" /></message><message><source>Supervisor phone not registered: monitoring unavailable</source><translation type="unfinished" /></message><message><source>Warning</source><translation type="unfinished" /></message></context>
<context>
    <name>FloorController</name>
    <message>
        <location filename="../../console/floor_controller.py" line="288" />
        <source>All queues</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>FloorView</name>
    <message>
        <location filename="../../console/floor_view.py" line="180" />
        <source>Name or extension</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="181" />
        <source>&amp;Search</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="182" />
        <source>&amp;Queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="183" />
        <source>S&amp;tate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="184" />
        <source>Tea&amp;m</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="185" />
        <source>S&amp;ort</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="186" />
        <source>Traffic today</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="188" />
        <source>All states</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="191" />
        <source>Extension</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="192" />
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="193" />
        <source>State</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="194" />
        <source>Time in state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="195" />
        <source>Calls today</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="235" />
        <location filename="../../console/floor_view.py" line="237" />
        <source>All queues</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="242" />
        <source>All teams</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="307" />
        <source>%1 of %2 agents</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Formula</name>
    <message>
        <location filename="../../console/floor_adapter.py" line="59" />
        <source>(answered within T + abandoned within T) / (answered + abandoned)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_adapter.py" line="55" />
        <source>answered within T / (answered + abandoned after T)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_adapter.py" line="58" />
        <source>answered within T / answered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/floor_adapter.py" line="62" />
        <source>answered within T / offered</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../console/main_window.py" line="158" />
        <source>Hotline Supervisor Console</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="159" />
        <source>&amp;File</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="160" />
        <source>&amp;Open record…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="161" />
        <source>&amp;Settings…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="162" />
        <source>&amp;Quit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="163" />
        <source>&amp;View</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="164" />
        <source>&amp;Language</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="165" />
        <source>&amp;Theme</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="166" />
        <source>Light</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="167" />
        <source>Dark</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="168" />
        <source>&amp;Density</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="169" />
        <source>Comfortable</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="170" />
        <source>Compact</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="171" />
        <source>&amp;Help</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="172" />
        <source>&amp;About</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="173" />
        <source>Not connected to a PBX.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="194" />
        <source>not connected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="195" />
        <source>connecting…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="196" />
        <source>logging in…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="197" />
        <source>synchronising…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="198" />
        <source>live</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="199" />
        <source>login failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="200" />
        <source>reconnecting…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/main_window.py" line="202" />
        <source>PBX: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <location filename="../../console/review_window.py" line="181" />
        <source>Escalated (not acknowledged in time)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="451" />
        <source>Record %1 (read-only)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="474" />
        <source>Apply filter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="476" />
        <source>Export…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="478" />
        <location filename="../../console/review_window.py" line="920" />
        <location filename="../../console/review_window.py" line="925" />
        <source>Verify chain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="482" />
        <source>From</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="483" />
        <source>To</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="484" />
        <source>Supervisor</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="485" />
        <source>Agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="486" />
        <source>Queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="487" />
        <source>Action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="500" />
        <source>Nothing in this period and filter.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="517" />
        <location filename="../../console/review_window.py" line="548" />
        <source>Show</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="521" />
        <source>◀ Previous</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="522" />
        <source>Next ▶</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="532" />
        <location filename="../../console/review_window.py" line="558" />
        <source>Day</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="542" />
        <source>Agent timelines</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="570" />
        <source>Intervals</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="597" />
        <location filename="../../console/review_window.py" line="823" />
        <source>Floor replay</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="627" />
        <source>Monitoring sessions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="628" />
        <source>Actions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="629" />
        <source>Alarms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="630" />
        <source>Sign-ins</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="631" />
        <source>Settings changes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="637" />
        <source>(all)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="660" />
        <source>No single agent matches “%1”: showing all agents.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="684" />
        <location filename="../../console/review_window.py" line="713" />
        <location filename="../../console/review_window.py" line="737" />
        <location filename="../../console/review_window.py" line="769" />
        <source>Record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="722" />
        <source>Agents %1–%2 of %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="772" />
        <source>All queues</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="803" />
        <source>Rebuilding the floor…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="803" />
        <location filename="../../console/review_window.py" line="894" />
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="809" />
        <source>Rebuilding the floor… %1 events</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="853" />
        <location filename="../../console/review_window.py" line="877" />
        <source>Export record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="880" />
        <source>Exported %1 rows to %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="894" />
        <source>Checking the chain…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="902" />
        <source>Checking the chain… %1 of %2 rows</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="916" />
        <source>Chain check cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="929" />
        <source>The chain is intact: %1 rows.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="932" />
        <source>Chain head: row #%1, SHA-256 %2 (note it down: a later check against it proves nothing before it changed).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="937" />
        <source>edited</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="938" />
        <source>deleted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="939" />
        <source>inserted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="940" />
        <source>moved out of order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="941" />
        <source>cut off at the end</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="942" />
        <source>rewritten with recomputed hashes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="946" />
        <source>The record was altered: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="958" />
        <source>Details: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="951" />
        <source> (%1, %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/review_window.py" line="953" />
        <source>The record was altered: row #%1%2 was %3.</source>
        <translation type="unfinished" />
    </message>
<message><source>%1, the recording console's zone (this PC: %2)</source><translation type="unfinished" /></message><message><source>(no end recorded)</source><translation type="unfinished" /></message><message><source>(no result recorded)</source><translation type="unfinished" /></message><message><source>Console closed</source><translation type="unfinished" /></message><message><source>Console started (system user)</source><translation type="unfinished" /></message><message><source>Failed</source><translation type="unfinished" /></message><message><source>Password</source><translation type="unfinished" /></message><message><source>SL = %1, T = %2 s, target %3 %, %4-minute intervals</source><translation type="unfinished" /></message><message><source>Signed out</source><translation type="unfinished" /></message><message><source>Signed out by the supervisor</source><translation type="unfinished" /></message><message><source>Succeeded</source><translation type="unfinished" /></message><message><source>Times in this PC's time zone (the record names none)</source><translation type="unfinished" /></message><message><source>Times: %1</source><translation type="unfinished" /></message><message><source>as the console started at %1 ran them</source><translation type="unfinished" /></message><message><source>from %1: %2</source><translation type="unfinished" /></message><message><source>this console's definitions (the record holds none for that day)</source><translation type="unfinished" /></message></context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../console/settings.py" line="61" />
        <source>Unknown PBX type %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="68" />
        <source>Enter the PBX host name or IP address.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="72" />
        <source>%1 is not a valid host name or IP address.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="78" />
        <source>The AMI port must be between 1 and 65535.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="84" />
        <source>Enter the AMI user name (manager.conf section).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="90" />
        <source>Monitoring method must be feature code or AMI Originate.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="97" />
        <source>Feature code %1 may contain only digits, * and #.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="118" />
        <source>%1 is not a valid SIP registrar host.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="124" />
        <source>Enter the supervisor's SIP user (extension).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="130" />
        <source>The SIP port must be between 1 and 65535.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="134" />
        <source>SIP transport must be UDP, TCP or TLS.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="155" />
        <source>Wallboard protocol must be Alpha or plain text.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="162" />
        <source>%1 is not a phone number.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="167" />
        <source>SMS recipients need a modem port.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="200" />
        <source>The interval must be 15, 30 or 60 minutes.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="204" />
        <source>The service-level target must be 1-100 %.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="207" />
        <source>Times must not be negative.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="210" />
        <source>Teams: %1 is not a name and extensions (Team A:1001-1020).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="261" />
        <source>Keep the record for 0 (everything) to 3650 days.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="342" />
        <source>Cannot write the settings file %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings.py" line="346" />
        <source>The settings file %1 is damaged; defaults are used.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../console/settings_dialog.py" line="111" />
        <source>Settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="119" />
        <source>Embedded lab PBX (no PBX needed)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="120" />
        <source>Asterisk</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="132" />
        <source>Dial feature codes (*221/*222/*223)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="133" />
        <source>AMI Originate into ChanSpy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="177" />
        <source>Connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="201" />
        <source> s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="204" />
        <source>%1 minutes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="222" />
        <source>Team A:1001-1020;Team B:1021-1040</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="230" />
        <source>Long call: warn / alarm</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="231" />
        <source>Long wrap-up: warn / alarm</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="232" />
        <source>Long not ready: warn / alarm</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="241" />
        <source>Interval and service-level definitions apply from the next start of the console.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="252" />
        <source> days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="253" />
        <source>everything (no limit)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="257" />
        <source>Older rows are removed once an hour. Each removal leaves an anchor row, so the rest of the record still verifies. Changes are recorded and apply at once.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="274" />
        <source>Alpha Sign protocol</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="276" />
        <source>Plain text lines (Chinese-capable signs)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="364" />
        <source>Secrets are in the system keyring.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="366" />
        <source>No system keyring found; secrets are kept in %1 (readable only by you, not encrypted).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="373" />
        <source>Enter the AMI secret.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="383" />
        <source>Cannot store the secrets: %1</source>
        <translation type="unfinished" />
    </message>
<message><source>AMI port</source><translation type="unfinished" /></message><message><source>AMI secret</source><translation type="unfinished" /></message><message><source>AMI user</source><translation type="unfinished" /></message><message><source>Alarm outputs</source><translation type="unfinished" /></message><message><source>Floor</source><translation type="unfinished" /></message><message><source>GSM modem port</source><translation type="unfinished" /></message><message><source>Host</source><translation type="unfinished" /></message><message><source>Interval</source><translation type="unfinished" /></message><message><source>Keep the record for</source><translation type="unfinished" /></message><message><source>LED wallboard port</source><translation type="unfinished" /></message><message><source>Long call: alarm</source><translation type="unfinished" /></message><message><source>Long call: warn</source><translation type="unfinished" /></message><message><source>Long not ready: alarm</source><translation type="unfinished" /></message><message><source>Long not ready: warn</source><translation type="unfinished" /></message><message><source>Long wrap-up: alarm</source><translation type="unfinished" /></message><message><source>Long wrap-up: warn</source><translation type="unfinished" /></message><message><source>Monitoring method</source><translation type="unfinished" /></message><message><source>PBX connection (AMI)</source><translation type="unfinished" /></message><message><source>PBX type</source><translation type="unfinished" /></message><message><source>Password</source><translation type="unfinished" /></message><message><source>Play a sound when an alarm is raised</source><translation type="unfinished" /></message><message><source>Record</source><translation type="unfinished" /></message><message><source>Registrar</source><translation type="unfinished" /></message><message><source>SIP port</source><translation type="unfinished" /></message><message><source>Service level formula</source><translation type="unfinished" /></message><message><source>Service level target</source><translation type="unfinished" /></message><message><source>Service level: answered within</source><translation type="unfinished" /></message><message><source>Short abandon below</source><translation type="unfinished" /></message><message><source>Supervisor's SIP account</source><translation type="unfinished" /></message><message><source>Teams (extension ranges)</source><translation type="unfinished" /></message><message><source>Text these numbers when an alarm escalates</source><translation type="unfinished" /></message><message><source>Use TLS</source><translation type="unfinished" /></message><message><source>User (extension)</source><translation type="unfinished" /></message><message><source>Wallboard address</source><translation type="unfinished" /></message><message><source>Wallboard protocol</source><translation type="unfinished" /></message><message><source>Wallboard speed</source><translation type="unfinished" /></message><message><source>Wrap-up time (not reported by Asterisk)</source><translation type="unfinished" /></message></context>
<context>
    <name>cls</name>
    <message>
        <location filename="../../console/review_window.py" line="621" />
        <source>Open record</source>
        <translation type="unfinished" />
    </message>
</context>
<context><name>AgentActions</name><message><source>%1 is already in queue %2.</source><translation type="unfinished" /></message><message><source>%1 is already not ready.</source><translation type="unfinished" /></message><message><source>%1 is not in any queue.</source><translation type="unfinished" /></message><message><source>%1 is not in queue %2.</source><translation type="unfinished" /></message><message><source>%1 is not on a call.</source><translation type="unfinished" /></message><message><source>%1 is not paused.</source><translation type="unfinished" /></message><message><source>Add to queue</source><translation type="unfinished" /></message><message><source>Barge</source><translation type="unfinished" /></message><message><source>Barge into the call of %1? Caller and agent will both hear you.</source><translation type="unfinished" /></message><message><source>Listen</source><translation type="unfinished" /></message><message><source>No SIP phone is configured for monitoring.</source><translation type="unfinished" /></message><message><source>No monitoring session is active.</source><translation type="unfinished" /></message><message><source>Not connected to a PBX.</source><translation type="unfinished" /></message><message><source>Not done: the action could not be recorded (%1).</source><translation type="unfinished" /></message><message><source>Not ready</source><translation type="unfinished" /></message><message><source>Ready</source><translation type="unfinished" /></message><message><source>Remove %1 from queue %2?</source><translation type="unfinished" /></message><message><source>Remove from queue</source><translation type="unfinished" /></message><message><source>Select an agent first.</source><translation type="unfinished" /></message><message><source>Stop</source><translation type="unfinished" /></message><message><source>The floor is not in sync with the PBX.</source><translation type="unfinished" /></message><message><source>Unknown action.</source><translation type="unfinished" /></message><message><source>Whisper</source><translation type="unfinished" /></message></context><context><name>AgentState</name><message><source>Logged out</source><translation type="unfinished" /></message><message><source>Not ready</source><translation type="unfinished" /></message><message><source>On hold</source><translation type="unfinished" /></message><message><source>Ready</source><translation type="unfinished" /></message><message><source>Ringing</source><translation type="unfinished" /></message><message><source>Talking</source><translation type="unfinished" /></message><message><source>Unavailable</source><translation type="unfinished" /></message><message><source>Wrap-up</source><translation type="unfinished" /></message></context><context><name>AlarmList</name><message><source>%1 active alarms, %2 not acknowledged</source><translation type="unfinished" /></message><message><source>Acknowledge selected…</source><translation type="unfinished" /></message><message><source>Acknowledged by</source><translation type="unfinished" /></message><message><source>Active alarms</source><translation type="unfinished" /></message><message><source>Alarm</source><translation type="unfinished" /></message><message><source>Critical</source><translation type="unfinished" /></message><message><source>Severity</source><translation type="unfinished" /></message><message><source>Since</source><translation type="unfinished" /></message><message><source>Warning</source><translation type="unfinished" /></message></context><context><name>Charts</name><message><source>abandoned</source><translation type="unfinished" /></message><message><source>answered</source><translation type="unfinished" /></message><message><source>calls</source><translation type="unfinished" /></message><message><source>offered</source><translation type="unfinished" /></message><message><source>service level</source><translation type="unfinished" /></message><message><source>service level %</source><translation type="unfinished" /></message></context><context><name>MonitorMode</name><message><source>Barge</source><translation type="unfinished" /></message><message><source>Connecting</source><translation type="unfinished" /></message><message><source>Listen</source><translation type="unfinished" /></message><message><source>Whisper</source><translation type="unfinished" /></message></context><context><name>Monitoring</name><message><source>BARGED INTO the call of</source><translation type="unfinished" /></message><message><source>Connecting to</source><translation type="unfinished" /></message><message><source>Could not start monitoring: %1</source><translation type="unfinished" /></message><message><source>L listen · W whisper · B barge · S stop</source><translation type="unfinished" /></message><message><source>LISTENING to</source><translation type="unfinished" /></message><message><source>Monitoring of %1 ended: %2</source><translation type="unfinished" /></message><message><source>No audio from the PBX for %1 s: is the PBX reachable?</source><translation type="unfinished" /></message><message><source>No monitoring call from the PBX within %1 s</source><translation type="unfinished" /></message><message><source>SIP phone: not registered</source><translation type="unfinished" /></message><message><source>SIP phone: registered</source><translation type="unfinished" /></message><message><source>SIP phone: registering…</source><translation type="unfinished" /></message><message><source>SIP phone: registration failed (%1)</source><translation type="unfinished" /></message><message><source>Stopped by the supervisor</source><translation type="unfinished" /></message><message><source>The PBX did not connect the monitoring call (%1)</source><translation type="unfinished" /></message><message><source>The PBX ended the monitoring call, usually because the agent's call ended (%1)</source><translation type="unfinished" /></message><message><source>The PBX refused to start monitoring: %1</source><translation type="unfinished" /></message><message><source>The SIP phone is not available: %1</source><translation type="unfinished" /></message><message><source>The SIP phone is not configured.</source><translation type="unfinished" /></message><message><source>The console was closed</source><translation type="unfinished" /></message><message><source>The console's SIP phone was shut down</source><translation type="unfinished" /></message><message><source>WHISPERING to</source><translation type="unfinished" /></message></context><context><name>QueueMeter</name><message><source>A call counts in the interval in which it left the queue.</source><translation type="unfinished" /></message><message><source>ACW</source><translation type="unfinished" /></message><message><source>ASA %1</source><translation type="unfinished" /></message><message><source>Abandon %1</source><translation type="unfinished" /></message><message><source>Erlang C: %1 agents needed next interval (%2), %3 staffed</source><translation type="unfinished" /></message><message><source>NR</source><translation type="unfinished" /></message><message><source>Need %1 / %2</source><translation type="unfinished" /></message><message><source>Offered this interval: %1</source><translation type="unfinished" /></message><message><source>Rdy</source><translation type="unfinished" /></message><message><source>Ring</source><translation type="unfinished" /></message><message><source>SL (target %1%)</source><translation type="unfinished" /></message><message><source>Service level = %1</source><translation type="unfinished" /></message><message><source>T = %1 s, target %2 %</source><translation type="unfinished" /></message><message><source>Talk</source><translation type="unfinished" /></message><message><source>longest wait</source><translation type="unfinished" /></message><message><source>next %1 calls within %2 s → %3</source><translation type="unfinished" /></message><message><source>on target (%1)</source><translation type="unfinished" /></message><message><source>target %1 out of reach this interval</source><translation type="unfinished" /></message><message><source>waiting</source><translation type="unfinished" /></message></context><context><name>Reason</name><message><source>Meal</source><translation type="unfinished" /></message><message><source>Meeting</source><translation type="unfinished" /></message><message><source>Restroom</source><translation type="unfinished" /></message><message><source>Short break</source><translation type="unfinished" /></message><message><source>Training</source><translation type="unfinished" /></message></context><context><name>RecordLink</name><message><source>Record unavailable — actions disabled</source><translation type="unfinished" /></message><message><source>Record: %1</source><translation type="unfinished" /></message></context><context><name>ReviewColumns</name><message><source>AHT s</source><translation type="unfinished" /></message><message><source>ASA s</source><translation type="unfinished" /></message><message><source>Abandoned</source><translation type="unfinished" /></message><message><source>Account</source><translation type="unfinished" /></message><message><source>Acknowledged</source><translation type="unfinished" /></message><message><source>Action</source><translation type="unfinished" /></message><message><source>Agent</source><translation type="unfinished" /></message><message><source>Answered</source><translation type="unfinished" /></message><message><source>Answered in T</source><translation type="unfinished" /></message><message><source>Caller</source><translation type="unfinished" /></message><message><source>Changes</source><translation type="unfinished" /></message><message><source>Cleared</source><translation type="unfinished" /></message><message><source>Duration (ms)</source><translation type="unfinished" /></message><message><source>End</source><translation type="unfinished" /></message><message><source>Ended</source><translation type="unfinished" /></message><message><source>Interval</source><translation type="unfinished" /></message><message><source>Message</source><translation type="unfinished" /></message><message><source>Method</source><translation type="unfinished" /></message><message><source>Modes</source><translation type="unfinished" /></message><message><source>New value</source><translation type="unfinished" /></message><message><source>No.</source><translation type="unfinished" /></message><message><source>Offered</source><translation type="unfinished" /></message><message><source>Old value</source><translation type="unfinished" /></message><message><source>Outcome</source><translation type="unfinished" /></message><message><source>Parameters</source><translation type="unfinished" /></message><message><source>Queue</source><translation type="unfinished" /></message><message><source>Raised</source><translation type="unfinished" /></message><message><source>Result</source><translation type="unfinished" /></message><message><source>Rule</source><translation type="unfinished" /></message><message><source>SL %</source><translation type="unfinished" /></message><message><source>Setting</source><translation type="unfinished" /></message><message><source>Severity</source><translation type="unfinished" /></message><message><source>Short abandoned</source><translation type="unfinished" /></message><message><source>Started</source><translation type="unfinished" /></message><message><source>Supervisor</source><translation type="unfinished" /></message><message><source>Threshold</source><translation type="unfinished" /></message><message><source>Time</source><translation type="unfinished" /></message><message><source>Value</source><translation type="unfinished" /></message><message><source>Workstation</source><translation type="unfinished" /></message></context><context><name>Status</name><message><source>%1 failed: %2</source><translation type="unfinished" /></message><message><source>%1; retry in %2 s</source><translation type="unfinished" /></message><message><source>Connecting to the PBX…</source><translation type="unfinished" /></message><message><source>Done: %1</source><translation type="unfinished" /></message><message><source>Newest event %1 s ago</source><translation type="unfinished" /></message><message><source>No connection to the PBX: %1</source><translation type="unfinished" /></message><message><source>No events yet</source><translation type="unfinished" /></message><message><source>Open record</source><translation type="unfinished" /></message><message><source>Please confirm</source><translation type="unfinished" /></message><message><source>Records (*.sqlite3 *.db);;All files (*)</source><translation type="unfinished" /></message><message><source>Restoring today's figures from the record… %1 %</source><translation type="unfinished" /></message><message><source>The floor is NOT live since %1 — figures may be out of date</source><translation type="unfinished" /></message><message><source>Today's figures count from now: too many of today's events (%1) to restore.</source><translation type="unfinished" /></message></context></TS>