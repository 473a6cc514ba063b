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
    <name>AgentDetailPanel</name>
    <message>
        <location filename="../../console/agent_detail.py" line="129" />
        <source>Not ready</source>
        <translation>示忙</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="122" />
        <source>Queue</source>
        <translation>技能组</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="122" />
        <source>Penalty</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="122" />
        <source>Paused</source>
        <translation>示忙</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="125" />
        <source>Calls answered</source>
        <translation>接听量</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="126" />
        <source>Talk time</source>
        <translation>通话时长</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="127" />
        <source>Hold time</source>
        <translation>保持时长</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="128" />
        <source>Wrap-up time</source>
        <translation>话后处理时长</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="130" />
        <source>Ring no answer</source>
        <translation>振铃未接</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="131" />
        <source>Logged in</source>
        <translation>签入时长</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="134" />
        <source>Today's states</source>
        <translation>今日状态</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="159" />
        <source>No agent selected</source>
        <translation>未选择座席</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="160" />
        <source>Click a tile to see the agent here.</source>
        <translation>点击座席卡片查看详情。</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="171" />
        <source>(then %1)</source>
        <translation>（随后：%1）</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="175" />
        <source>Caller %1 · queue %2</source>
        <translation>来电 %1 · 技能组 %2</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="184" />
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../console/agent_detail.py" line="186" />
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>AgentTile</name>
    <message numerus="yes">
        <location filename="../../widgets/agent_tiles.py" line="334" />
        <source>%n call(s) today</source>
        <translation><numerusform>今日 %n 通</numerusform></translation>
    </message>
</context>
<context>
    <name>Alarms</name>
    <message>
        <location filename="../../console/alarms_view.py" line="127" />
        <source>Queue %1: service level %2, recovering (alarm below %3)</source>
        <translation>技能组 %1：服务水平 %2，正在回升（告警线 %3）</translation>
    </message>
    <message>
        <location filename="../../console/alarms_view.py" line="131" />
        <source>Queue %1: projected service level %2, recovering (alarm below %3)</source>
        <translation>技能组 %1：预计服务水平 %2，正在回升（告警线 %3）</translation>
    </message>
    <message>
        <location filename="../../console/alarms_view.py" line="137" />
        <source>Queue %1: abandon rate %2, recovering (alarm above %3)</source>
        <translation>技能组 %1：放弃率 %2，正在回落（告警线 %3）</translation>
    </message>
<message><source> (and %1 more)</source><translation>（另有 %1 条）</translation></message><message><source>%1 alarms, the first: %2</source><translation>共 %1 条告警，第一条：%2</translation></message><message><source>%1 hotline alarms not acknowledged: %2</source><translation>%1 条热线告警未确认：%2</translation></message><message><source>(acknowledged)</source><translation>（已确认）</translation></message><message><source>+%1 more…</source><translation>另有 %1 条…</translation></message><message><source>Abandon rate</source><translation>放弃率</translation></message><message><source>Acknowledge</source><translation>确认</translation></message><message><source>Acknowledge alarm</source><translation>确认告警</translation></message><message><source>Agent %1: in wrap-up for %2 (limit %3)</source><translation>座席 %1：话后处理已 %2（上限 %3）</translation></message><message><source>Agent %1: not ready for %2 (limit %3)</source><translation>座席 %1：示忙已 %2（上限 %3）</translation></message><message><source>Agent %1: on one call for %2 (limit %3)</source><translation>座席 %1：单通通话已 %2（上限 %3）</translation></message><message><source>All active alarms</source><translation>全部未消除的告警</translation></message><message><source>Calls waiting</source><translation>排队数</translation></message><message><source>Comment for the record:</source><translation>确认说明（记入操作记录）：</translation></message><message><source>Critical</source><translation>严重</translation></message><message><source>Hotline alarm not acknowledged: %1</source><translation>热线告警未确认：%1</translation></message><message><source>Info</source><translation>提示</translation></message><message><source>Long call</source><translation>通话超时</translation></message><message><source>Long not ready</source><translation>示忙超时</translation></message><message><source>Long wrap-up</source><translation>话后处理超时</translation></message><message><source>Longest wait</source><translation>最长等待时长</translation></message><message><source>PBX link down</source><translation>PBX 连接中断</translation></message><message><source>PBX link down: the floor is not live</source><translation>交换机连接中断：现场数据非实时</translation></message><message><source>Phone not registered</source><translation>班长话机未注册</translation></message><message><source>Projected service level</source><translation>预计服务水平</translation></message><message><source>Queue %1: %2 calls waiting (limit %3)</source><translation>技能组 %1：排队 %2 通（上限 %3）</translation></message><message><source>Queue %1: abandon rate %2 above %3</source><translation>技能组 %1：放弃率 %2 高于 %3</translation></message><message><source>Queue %1: longest wait %2 (limit %3)</source><translation>技能组 %1：最长等待 %2（上限 %3）</translation></message><message><source>Queue %1: projected service level %2 below %3</source><translation>技能组 %1：预计服务水平 %2 低于 %3</translation></message><message><source>Queue %1: service level %2 below %3</source><translation>技能组 %1：服务水平 %2 低于 %3</translation></message><message><source>Service level</source><translation>服务水平</translation></message><message><source>Supervisor phone not registered: monitoring unavailable</source><translation>班长话机未注册：无法监听</translation></message><message><source>Warning</source><translation>警告</translation></message></context>
<context>
    <name>FloorController</name>
    <message>
        <location filename="../../console/floor_controller.py" line="288" />
        <source>All queues</source>
        <translation>全部技能组</translation>
    </message>
</context>
<context>
    <name>FloorView</name>
    <message>
        <location filename="../../console/floor_view.py" line="180" />
        <source>Name or extension</source>
        <translation>姓名或分机号</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="181" />
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="182" />
        <source>&amp;Queue</source>
        <translation>技能组(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="183" />
        <source>S&amp;tate</source>
        <translation>状态(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="184" />
        <source>Tea&amp;m</source>
        <translation>班组(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="185" />
        <source>S&amp;ort</source>
        <translation>排序(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="186" />
        <source>Traffic today</source>
        <translation>今日话务</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="188" />
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="191" />
        <source>Extension</source>
        <translation>分机号</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="192" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="193" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="194" />
        <source>Time in state</source>
        <translation>状态时长</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="195" />
        <source>Calls today</source>
        <translation>今日接听</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="235" />
        <location filename="../../console/floor_view.py" line="237" />
        <source>All queues</source>
        <translation>全部技能组</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="242" />
        <source>All teams</source>
        <translation>全部班组</translation>
    </message>
    <message>
        <location filename="../../console/floor_view.py" line="307" />
        <source>%1 of %2 agents</source>
        <translation>座席 %1 / %2</translation>
    </message>
</context>
<context>
    <name>Formula</name>
    <message>
        <location filename="../../console/floor_adapter.py" line="59" />
        <source>(answered within T + abandoned within T) / (answered + abandoned)</source>
        <translation>(T 内接通 + T 内放弃) / (接通 + 放弃)</translation>
    </message>
    <message>
        <location filename="../../console/floor_adapter.py" line="55" />
        <source>answered within T / (answered + abandoned after T)</source>
        <translation>T 内接通 / (接通 + T 后放弃)</translation>
    </message>
    <message>
        <location filename="../../console/floor_adapter.py" line="58" />
        <source>answered within T / answered</source>
        <translation>T 内接通 / 接通</translation>
    </message>
    <message>
        <location filename="../../console/floor_adapter.py" line="62" />
        <source>answered within T / offered</source>
        <translation>T 内接通 / 呼入</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../console/main_window.py" line="158" />
        <source>Hotline Supervisor Console</source>
        <translation>热线班长台</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="159" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="160" />
        <source>&amp;Open record…</source>
        <translation>打开记录(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="161" />
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="162" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="163" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="164" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="165" />
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="166" />
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="167" />
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="168" />
        <source>&amp;Density</source>
        <translation>密度(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="169" />
        <source>Comfortable</source>
        <translation>宽松</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="170" />
        <source>Compact</source>
        <translation>紧凑</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="171" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="172" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="173" />
        <source>Not connected to a PBX.</source>
        <translation>未连接交换机。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="194" />
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="195" />
        <source>connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="196" />
        <source>logging in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="197" />
        <source>synchronising…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="198" />
        <source>live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="199" />
        <source>login failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="200" />
        <source>reconnecting…</source>
        <translation>正在重连…</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="202" />
        <source>PBX: %1</source>
        <translation>交换机：%1</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <location filename="../../console/review_window.py" line="181" />
        <source>Escalated (not acknowledged in time)</source>
        <translation>已升级（未及时确认）</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="451" />
        <source>Record %1 (read-only)</source>
        <translation>记录 %1（只读）</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="474" />
        <source>Apply filter</source>
        <translation>应用筛选</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="476" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="478" />
        <location filename="../../console/review_window.py" line="920" />
        <location filename="../../console/review_window.py" line="925" />
        <source>Verify chain</source>
        <translation>校验审计链</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="482" />
        <source>From</source>
        <translation>起</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="483" />
        <source>To</source>
        <translation>止</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="484" />
        <source>Supervisor</source>
        <translation>班长</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="485" />
        <source>Agent</source>
        <translation>座席</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="486" />
        <source>Queue</source>
        <translation>技能组</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="487" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="500" />
        <source>Nothing in this period and filter.</source>
        <translation>所选时段和筛选条件下没有记录。</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="517" />
        <location filename="../../console/review_window.py" line="548" />
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="521" />
        <source>◀ Previous</source>
        <translation>◀ 上一页</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="522" />
        <source>Next ▶</source>
        <translation>下一页 ▶</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="532" />
        <location filename="../../console/review_window.py" line="558" />
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="542" />
        <source>Agent timelines</source>
        <translation>座席状态时间线</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="570" />
        <source>Intervals</source>
        <translation>时段报表</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="597" />
        <location filename="../../console/review_window.py" line="823" />
        <source>Floor replay</source>
        <translation>现场回放</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="627" />
        <source>Monitoring sessions</source>
        <translation>监听记录</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="628" />
        <source>Actions</source>
        <translation>操作记录</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="629" />
        <source>Alarms</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="630" />
        <source>Sign-ins</source>
        <translation>签入记录</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="631" />
        <source>Settings changes</source>
        <translation>设置变更</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="637" />
        <source>(all)</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="660" />
        <source>No single agent matches “%1”: showing all agents.</source>
        <translation>没有唯一匹配“%1”的座席：显示全部座席。</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="684" />
        <location filename="../../console/review_window.py" line="713" />
        <location filename="../../console/review_window.py" line="737" />
        <location filename="../../console/review_window.py" line="769" />
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="722" />
        <source>Agents %1–%2 of %3</source>
        <translation>座席 %1–%2 / 共 %3 名</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="772" />
        <source>All queues</source>
        <translation>全部技能组</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="803" />
        <source>Rebuilding the floor…</source>
        <translation>正在重建现场…</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="803" />
        <location filename="../../console/review_window.py" line="894" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="809" />
        <source>Rebuilding the floor… %1 events</source>
        <translation>正在重建现场… 已处理 %1 条事件</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="853" />
        <location filename="../../console/review_window.py" line="877" />
        <source>Export record</source>
        <translation>导出记录</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="880" />
        <source>Exported %1 rows to %2</source>
        <translation>已导出 %1 行到 %2</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="894" />
        <source>Checking the chain…</source>
        <translation>正在校验审计链…</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="902" />
        <source>Checking the chain… %1 of %2 rows</source>
        <translation>正在校验审计链… 已查 %1 / 共 %2 行</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="916" />
        <source>Chain check cancelled</source>
        <translation>已取消审计链校验</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="929" />
        <source>The chain is intact: %1 rows.</source>
        <translation>审计链完整：共 %1 行。</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="932" />
        <source>Chain head: row #%1, SHA-256 %2 (note it down: a later check against it proves nothing before it changed).</source>
        <translation>链头：第 #%1 行，SHA-256 %2（请记下：日后与之比对，可证明此前的记录未被改动）。</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="937" />
        <source>edited</source>
        <translation>被修改</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="938" />
        <source>deleted</source>
        <translation>被删除</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="939" />
        <source>inserted</source>
        <translation>被插入</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="940" />
        <source>moved out of order</source>
        <translation>被调换了顺序</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="941" />
        <source>cut off at the end</source>
        <translation>在末尾被截断</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="942" />
        <source>rewritten with recomputed hashes</source>
        <translation>被重写并重新计算了哈希</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="946" />
        <source>The record was altered: %1.</source>
        <translation>记录已被改动：%1。</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="958" />
        <source>Details: %1</source>
        <translation>详情：%1</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="951" />
        <source> (%1, %2)</source>
        <translation>（%1，%2）</translation>
    </message>
    <message>
        <location filename="../../console/review_window.py" line="953" />
        <source>The record was altered: row #%1%2 was %3.</source>
        <translation>记录已被改动：第 #%1 行%2%3。</translation>
    </message>
<message><source>%1, the recording console's zone (this PC: %2)</source><translation>%1，即记录控制台所在时区（本机：%2）</translation></message><message><source>(no end recorded)</source><translation>（记录中没有结束）</translation></message><message><source>(no result recorded)</source><translation>（记录中没有结果）</translation></message><message><source>Console closed</source><translation>控制台已关闭</translation></message><message><source>Console started (system user)</source><translation>控制台启动（系统用户）</translation></message><message><source>Failed</source><translation>失败</translation></message><message><source>Password</source><translation>密码</translation></message><message><source>SL = %1, T = %2 s, target %3 %, %4-minute intervals</source><translation>服务水平 = %1，T = %2 秒，目标 %3 %，每 %4 分钟一个时段</translation></message><message><source>Signed out</source><translation>已签出</translation></message><message><source>Signed out by the supervisor</source><translation>班长签出</translation></message><message><source>Succeeded</source><translation>成功</translation></message><message><source>Times in this PC's time zone (the record names none)</source><translation>时间按本机时区显示（记录中未注明时区）</translation></message><message><source>Times: %1</source><translation>时间：%1</translation></message><message><source>as the console started at %1 ran them</source><translation>按 %1 启动的控制台所用定义</translation></message><message><source>from %1: %2</source><translation>%1 起：%2</translation></message><message><source>this console's definitions (the record holds none for that day)</source><translation>本控制台的定义（记录中没有当天的定义）</translation></message></context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../console/settings.py" line="61" />
        <source>Unknown PBX type %1.</source>
        <translation>未知的交换机类型 %1。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="68" />
        <source>Enter the PBX host name or IP address.</source>
        <translation>请输入交换机主机名或 IP 地址。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="72" />
        <source>%1 is not a valid host name or IP address.</source>
        <translation>%1 不是有效的主机名或 IP 地址。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="78" />
        <source>The AMI port must be between 1 and 65535.</source>
        <translation>AMI 端口必须在 1 到 65535 之间。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="84" />
        <source>Enter the AMI user name (manager.conf section).</source>
        <translation>请输入 AMI 用户名（manager.conf 中的节名）。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="90" />
        <source>Monitoring method must be feature code or AMI Originate.</source>
        <translation>监听方式必须是特征码或 AMI 发起呼叫。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="97" />
        <source>Feature code %1 may contain only digits, * and #.</source>
        <translation>特征码 %1 只能包含数字、* 和 #。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="118" />
        <source>%1 is not a valid SIP registrar host.</source>
        <translation>%1 不是有效的 SIP 注册服务器地址。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="124" />
        <source>Enter the supervisor's SIP user (extension).</source>
        <translation>请输入班长的 SIP 用户（分机号）。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="130" />
        <source>The SIP port must be between 1 and 65535.</source>
        <translation>SIP 端口必须在 1 到 65535 之间。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="134" />
        <source>SIP transport must be UDP, TCP or TLS.</source>
        <translation>SIP 传输方式必须是 UDP、TCP 或 TLS。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="155" />
        <source>Wallboard protocol must be Alpha or plain text.</source>
        <translation>墙板协议必须是 Alpha 或纯文本。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="162" />
        <source>%1 is not a phone number.</source>
        <translation>%1 不是有效的电话号码。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="167" />
        <source>SMS recipients need a modem port.</source>
        <translation>发送短信需要配置短信猫串口。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="200" />
        <source>The interval must be 15, 30 or 60 minutes.</source>
        <translation>时段长度必须是 15、30 或 60 分钟。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="204" />
        <source>The service-level target must be 1-100 %.</source>
        <translation>服务水平目标必须在 1–100 % 之间。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="207" />
        <source>Times must not be negative.</source>
        <translation>时长不能为负数。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="210" />
        <source>Teams: %1 is not a name and extensions (Team A:1001-1020).</source>
        <translation>班组：%1 不是“名称:分机号段”格式（例如 一组:1001-1020）。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="261" />
        <source>Keep the record for 0 (everything) to 3650 days.</source>
        <translation>记录保留天数须为 0（全部保留）到 3650 天。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="342" />
        <source>Cannot write the settings file %1.</source>
        <translation>无法写入设置文件 %1。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="346" />
        <source>The settings file %1 is damaged; defaults are used.</source>
        <translation>设置文件 %1 已损坏，已使用默认值。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../console/settings_dialog.py" line="111" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="119" />
        <source>Embedded lab PBX (no PBX needed)</source>
        <translation>内置实验交换机（无需真实交换机）</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="120" />
        <source>Asterisk</source>
        <translation>Asterisk</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="132" />
        <source>Dial feature codes (*221/*222/*223)</source>
        <translation>拨特征码（*221/*222/*223）</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="133" />
        <source>AMI Originate into ChanSpy</source>
        <translation>AMI 发起 ChanSpy 呼叫</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="177" />
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="201" />
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="204" />
        <source>%1 minutes</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="222" />
        <source>Team A:1001-1020;Team B:1021-1040</source>
        <translation>一组:1001-1020;二组:1021-1040</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="230" />
        <source>Long call: warn / alarm</source>
        <translation>长通话：提醒 / 告警</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="231" />
        <source>Long wrap-up: warn / alarm</source>
        <translation>长话后：提醒 / 告警</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="232" />
        <source>Long not ready: warn / alarm</source>
        <translation>长示忙：提醒 / 告警</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="241" />
        <source>Interval and service-level definitions apply from the next start of the console.</source>
        <translation>时段与服务水平定义在下次启动班长台后生效。</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="252" />
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="253" />
        <source>everything (no limit)</source>
        <translation>全部保留（不限）</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="257" />
        <source>Older rows are removed once an hour. Each removal leaves an anchor row, so the rest of the record still verifies. Changes are recorded and apply at once.</source>
        <translation>超期记录每小时清理一次。每次清理都会留下锚点行，其余记录仍可校验。修改会记入记录并立即生效。</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="274" />
        <source>Alpha Sign protocol</source>
        <translation>Alpha Sign 协议</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="276" />
        <source>Plain text lines (Chinese-capable signs)</source>
        <translation>纯文本行（支持中文的屏）</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="364" />
        <source>Secrets are in the system keyring.</source>
        <translation>密码等机密信息保存在系统钥匙串中。</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="366" />
        <source>No system keyring found; secrets are kept in %1 (readable only by you, not encrypted).</source>
        <translation>未找到系统钥匙串；机密信息保存在 %1（仅本人可读，未加密）。</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="373" />
        <source>Enter the AMI secret.</source>
        <translation>请输入 AMI 密码。</translation>
    </message>
    <message>
        <location filename="../../console/settings_dialog.py" line="383" />
        <source>Cannot store the secrets: %1</source>
        <translation>无法保存密码：%1</translation>
    </message>
<message><source>AMI port</source><translation>AMI 端口</translation></message><message><source>AMI secret</source><translation>AMI 密码</translation></message><message><source>AMI user</source><translation>AMI 用户</translation></message><message><source>Alarm outputs</source><translation>告警输出</translation></message><message><source>Floor</source><translation>现场</translation></message><message><source>GSM modem port</source><translation>GSM 短信猫串口</translation></message><message><source>Host</source><translation>主机</translation></message><message><source>Interval</source><translation>时段</translation></message><message><source>Keep the record for</source><translation>记录保留</translation></message><message><source>LED wallboard port</source><translation>LED 墙板串口</translation></message><message><source>Long call: alarm</source><translation>长通话：告警</translation></message><message><source>Long call: warn</source><translation>长通话：提醒</translation></message><message><source>Long not ready: alarm</source><translation>长示忙：告警</translation></message><message><source>Long not ready: warn</source><translation>长示忙：提醒</translation></message><message><source>Long wrap-up: alarm</source><translation>长话后：告警</translation></message><message><source>Long wrap-up: warn</source><translation>长话后：提醒</translation></message><message><source>Monitoring method</source><translation>监听方式</translation></message><message><source>PBX connection (AMI)</source><translation>交换机连接（AMI）</translation></message><message><source>PBX type</source><translation>交换机类型</translation></message><message><source>Password</source><translation>密码</translation></message><message><source>Play a sound when an alarm is raised</source><translation>告警时播放声音</translation></message><message><source>Record</source><translation>记录</translation></message><message><source>Registrar</source><translation>注册服务器</translation></message><message><source>SIP port</source><translation>SIP 端口</translation></message><message><source>Service level formula</source><translation>服务水平公式</translation></message><message><source>Service level target</source><translation>服务水平目标</translation></message><message><source>Service level: answered within</source><translation>服务水平：接通时限</translation></message><message><source>Short abandon below</source><translation>短时放弃阈值</translation></message><message><source>Supervisor's SIP account</source><translation>班长 SIP 账号</translation></message><message><source>Teams (extension ranges)</source><translation>班组（分机号段）</translation></message><message><source>Text these numbers when an alarm escalates</source><translation>告警升级时发短信给</translation></message><message><source>Use TLS</source><translation>使用 TLS</translation></message><message><source>User (extension)</source><translation>用户（分机号）</translation></message><message><source>Wallboard address</source><translation>墙板地址</translation></message><message><source>Wallboard protocol</source><translation>墙板协议</translation></message><message><source>Wallboard speed</source><translation>墙板波特率</translation></message><message><source>Wrap-up time (not reported by Asterisk)</source><translation>话后处理时长（Asterisk 不上报）</translation></message></context>
<context>
    <name>cls</name>
    <message>
        <location filename="../../console/review_window.py" line="621" />
        <source>Open record</source>
        <translation>打开记录</translation>
    </message>
</context>
<context><name>AgentActions</name><message><source>%1 is already in queue %2.</source><translation>%1 已在技能组 %2 中。</translation></message><message><source>%1 is already not ready.</source><translation>%1 已处于示忙状态。</translation></message><message><source>%1 is not in any queue.</source><translation>%1 未签入任何技能组。</translation></message><message><source>%1 is not in queue %2.</source><translation>%1 不在技能组 %2 中。</translation></message><message><source>%1 is not on a call.</source><translation>%1 当前不在通话中。</translation></message><message><source>%1 is not paused.</source><translation>%1 未示忙。</translation></message><message><source>Add to queue</source><translation>调整技能：加入</translation></message><message><source>Barge</source><translation>强插</translation></message><message><source>Barge into the call of %1? Caller and agent will both hear you.</source><translation>确定强插 %1 的通话？来电人和座席都将听到您的声音。</translation></message><message><source>Listen</source><translation>监听</translation></message><message><source>No SIP phone is configured for monitoring.</source><translation>未配置用于监听的 SIP 话机。</translation></message><message><source>No monitoring session is active.</source><translation>当前没有监听。</translation></message><message><source>Not connected to a PBX.</source><translation>未连接交换机。</translation></message><message><source>Not done: the action could not be recorded (%1).</source><translation>未执行：无法写入操作记录（%1）。</translation></message><message><source>Not ready</source><translation>示忙</translation></message><message><source>Ready</source><translation>示闲</translation></message><message><source>Remove %1 from queue %2?</source><translation>确定将 %1 移出技能组 %2？</translation></message><message><source>Remove from queue</source><translation>调整技能：移出</translation></message><message><source>Select an agent first.</source><translation>请先选择座席。</translation></message><message><source>Stop</source><translation>结束</translation></message><message><source>The floor is not in sync with the PBX.</source><translation>现场数据未与交换机同步。</translation></message><message><source>Unknown action.</source><translation>未知操作。</translation></message><message><source>Whisper</source><translation>密语</translation></message></context><context><name>AgentState</name><message><source>Logged out</source><translation>未签入</translation></message><message><source>Not ready</source><translation>示忙</translation></message><message><source>On hold</source><translation>保持</translation></message><message><source>Ready</source><translation>示闲</translation></message><message><source>Ringing</source><translation>振铃</translation></message><message><source>Talking</source><translation>通话中</translation></message><message><source>Unavailable</source><translation>不可用</translation></message><message><source>Wrap-up</source><translation>话后处理</translation></message></context><context><name>AlarmList</name><message><source>%1 active alarms, %2 not acknowledged</source><translation>当前告警 %1 条，未确认 %2 条</translation></message><message><source>Acknowledge selected…</source><translation>确认所选…</translation></message><message><source>Acknowledged by</source><translation>确认人</translation></message><message><source>Active alarms</source><translation>当前告警</translation></message><message><source>Alarm</source><translation>告警</translation></message><message><source>Critical</source><translation>严重</translation></message><message><source>Severity</source><translation>级别</translation></message><message><source>Since</source><translation>发生时间</translation></message><message><source>Warning</source><translation>警告</translation></message></context><context><name>Charts</name><message><source>abandoned</source><translation>放弃</translation></message><message><source>answered</source><translation>接通</translation></message><message><source>calls</source><translation>来电数</translation></message><message><source>offered</source><translation>呼入</translation></message><message><source>service level</source><translation>服务水平</translation></message><message><source>service level %</source><translation>服务水平 %</translation></message></context><context><name>MonitorMode</name><message><source>Barge</source><translation>强插</translation></message><message><source>Connecting</source><translation>正在接通</translation></message><message><source>Listen</source><translation>监听</translation></message><message><source>Whisper</source><translation>密语</translation></message></context><context><name>Monitoring</name><message><source>BARGED INTO the call of</source><translation>正在强插</translation></message><message><source>Connecting to</source><translation>正在接通</translation></message><message><source>Could not start monitoring: %1</source><translation>无法开始监听：%1</translation></message><message><source>L listen · W whisper · B barge · S stop</source><translation>L 监听 · W 密语 · B 强插 · S 结束</translation></message><message><source>LISTENING to</source><translation>正在监听</translation></message><message><source>Monitoring of %1 ended: %2</source><translation>对 %1 的监听已结束：%2</translation></message><message><source>No audio from the PBX for %1 s: is the PBX reachable?</source><translation>交换机 %1 秒没有语音：交换机是否失联？</translation></message><message><source>No monitoring call from the PBX within %1 s</source><translation>交换机 %1 秒内没有接通监听通话</translation></message><message><source>SIP phone: not registered</source><translation>话机：未注册</translation></message><message><source>SIP phone: registered</source><translation>话机：已注册</translation></message><message><source>SIP phone: registering…</source><translation>话机：正在注册…</translation></message><message><source>SIP phone: registration failed (%1)</source><translation>话机：注册失败（%1）</translation></message><message><source>Stopped by the supervisor</source><translation>班长结束</translation></message><message><source>The PBX did not connect the monitoring call (%1)</source><translation>交换机未接通监听通话（%1）</translation></message><message><source>The PBX ended the monitoring call, usually because the agent's call ended (%1)</source><translation>交换机结束了监听通话，通常是因为坐席的通话已结束（%1）</translation></message><message><source>The PBX refused to start monitoring: %1</source><translation>交换机拒绝开始监听：%1</translation></message><message><source>The SIP phone is not available: %1</source><translation>SIP 话机不可用：%1</translation></message><message><source>The SIP phone is not configured.</source><translation>SIP 话机未配置。</translation></message><message><source>The console was closed</source><translation>控制台已关闭</translation></message><message><source>The console's SIP phone was shut down</source><translation>控制台的 SIP 话机已关闭</translation></message><message><source>WHISPERING to</source><translation>正在密语</translation></message></context><context><name>QueueMeter</name><message><source>A call counts in the interval in which it left the queue.</source><translation>来电计入其离开队列时所在的时段。</translation></message><message><source>ACW</source><translation>话后</translation></message><message><source>ASA %1</source><translation>平均应答 %1</translation></message><message><source>Abandon %1</source><translation>放弃率 %1</translation></message><message><source>Erlang C: %1 agents needed next interval (%2), %3 staffed</source><translation>Erlang C：下一时段需 %1 名座席（%2），当前在岗 %3 名</translation></message><message><source>NR</source><translation>示忙</translation></message><message><source>Need %1 / %2</source><translation>需 %1 / 在岗 %2</translation></message><message><source>Offered this interval: %1</source><translation>本时段呼入：%1</translation></message><message><source>Rdy</source><translation>示闲</translation></message><message><source>Ring</source><translation>振铃</translation></message><message><source>SL (target %1%)</source><translation>服务水平·目标%1%</translation></message><message><source>Service level = %1</source><translation>服务水平 = %1</translation></message><message><source>T = %1 s, target %2 %</source><translation>T = %1 秒，目标 %2 %</translation></message><message><source>Talk</source><translation>通话</translation></message><message><source>longest wait</source><translation>最长等待</translation></message><message><source>next %1 calls within %2 s → %3</source><translation>接下来 %1 通需在 %2 秒内接起 → %3</translation></message><message><source>on target (%1)</source><translation>达标（%1）</translation></message><message><source>target %1 out of reach this interval</source><translation>本时段已无法达到目标 %1</translation></message><message><source>waiting</source><translation>排队数</translation></message></context><context><name>Reason</name><message><source>Meal</source><translation>就餐</translation></message><message><source>Meeting</source><translation>会议</translation></message><message><source>Restroom</source><translation>如厕</translation></message><message><source>Short break</source><translation>小休</translation></message><message><source>Training</source><translation>培训</translation></message></context><context><name>RecordLink</name><message><source>Record unavailable — actions disabled</source><translation>记录不可用——已禁止操作</translation></message><message><source>Record: %1</source><translation>记录：%1</translation></message></context><context><name>ReviewColumns</name><message><source>AHT s</source><translation>平均处理（秒）</translation></message><message><source>ASA s</source><translation>平均应答（秒）</translation></message><message><source>Abandoned</source><translation>放弃</translation></message><message><source>Account</source><translation>账号</translation></message><message><source>Acknowledged</source><translation>确认</translation></message><message><source>Action</source><translation>操作</translation></message><message><source>Agent</source><translation>座席</translation></message><message><source>Answered</source><translation>接通</translation></message><message><source>Answered in T</source><translation>T 内接通</translation></message><message><source>Caller</source><translation>来电号码</translation></message><message><source>Changes</source><translation>变化</translation></message><message><source>Cleared</source><translation>解除时间</translation></message><message><source>Duration (ms)</source><translation>耗时（毫秒）</translation></message><message><source>End</source><translation>结束原因</translation></message><message><source>Ended</source><translation>结束</translation></message><message><source>Interval</source><translation>时段</translation></message><message><source>Message</source><translation>内容</translation></message><message><source>Method</source><translation>方式</translation></message><message><source>Modes</source><translation>模式</translation></message><message><source>New value</source><translation>新值</translation></message><message><source>No.</source><translation>序号</translation></message><message><source>Offered</source><translation>呼入</translation></message><message><source>Old value</source><translation>原值</translation></message><message><source>Outcome</source><translation>结果</translation></message><message><source>Parameters</source><translation>参数</translation></message><message><source>Queue</source><translation>技能组</translation></message><message><source>Raised</source><translation>产生时间</translation></message><message><source>Result</source><translation>返回</translation></message><message><source>Rule</source><translation>规则</translation></message><message><source>SL %</source><translation>服务水平 %</translation></message><message><source>Setting</source><translation>设置项</translation></message><message><source>Severity</source><translation>级别</translation></message><message><source>Short abandoned</source><translation>短时放弃</translation></message><message><source>Started</source><translation>开始</translation></message><message><source>Supervisor</source><translation>班长</translation></message><message><source>Threshold</source><translation>阈值</translation></message><message><source>Time</source><translation>时间</translation></message><message><source>Value</source><translation>数值</translation></message><message><source>Workstation</source><translation>工作站</translation></message></context><context><name>Status</name><message><source>%1 failed: %2</source><translation>%1 失败：%2</translation></message><message><source>%1; retry in %2 s</source><translation>%1；%2 秒后重试</translation></message><message><source>Connecting to the PBX…</source><translation>正在连接交换机…</translation></message><message><source>Done: %1</source><translation>已完成：%1</translation></message><message><source>Newest event %1 s ago</source><translation>最新事件 %1 秒前</translation></message><message><source>No connection to the PBX: %1</source><translation>无法连接交换机：%1</translation></message><message><source>No events yet</source><translation>尚无事件</translation></message><message><source>Open record</source><translation>打开记录</translation></message><message><source>Please confirm</source><translation>请确认</translation></message><message><source>Records (*.sqlite3 *.db);;All files (*)</source><translation>记录文件 (*.sqlite3 *.db);;所有文件 (*)</translation></message><message><source>Restoring today's figures from the record… %1 %</source><translation>正在从记录恢复今日数据… %1 %</translation></message><message><source>The floor is NOT live since %1 — figures may be out of date</source><translation>自 %1 起现场数据非实时——数字可能已过时</translation></message><message><source>Today's figures count from now: too many of today's events (%1) to restore.</source><translation>今日数据从现在起计：今日事件过多（%1 条），启动时不再恢复。</translation></message></context></TS>