<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>scopesync::app::api::ApiServer</name>
        <message>
            <source>dark snapshot</source>
            <translation>暗帧快照</translation>
        </message>
        <message>
            <source>snapshot with %1 for %2 ms</source>
            <translation>使用 %1 拍摄快照（%2 ms）</translation>
        </message>
        <message>
            <source>run %1 started (%2)</source>
            <translation>运行 %1 已启动（%2）</translation>
        </message>
        <message>
            <source>run %1: %2</source>
            <translation>运行 %1：%2</translation>
        </message>
        <message>
            <source>LED %1 on for %2 ms</source>
            <translation>LED %1 点亮 %2 ms</translation>
        </message>
        <message>
            <source>filter %1</source>
            <translation>滤光片 %1</translation>
        </message>
        <message>
            <source>focus nudged %1 steps</source>
            <translation>对焦微调 %1 步</translation>
        </message>
        <message>
            <source>set point %1 °C</source>
            <translation>设定值 %1 °C</translation>
        </message>
        <message>
            <source>heater off</source>
            <translation>加热器关闭</translation>
        </message>
        <message>
            <source>calibration with %1 (%2 ms flash)</source>
            <translation>使用 %1 校准（闪光 %2 ms）</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::CalibrationWizard</name>
        <message>
            <source>Calibrate the flash delay</source>
            <translation>校准闪光延迟</translation>
        </message>
        <message>
            <source>Calibration not saved</source>
            <translation>校准未保存</translation>
        </message>
        <message>
            <source>The profile could not be written: %1
The result is still shown; free the disk or fix the permission and press Apply again.</source>
            <translation>无法写入配置文件：%1
结果仍会显示；请释放磁盘空间或修正权限后再按“应用”。</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::CameraSettingsPanel</name>
        <message>
            <source> µs</source>
            <translation> 微秒</translation>
        </message>
        <message>
            <source> fps</source>
            <translation> fps</translation>
        </message>
        <message>
            <source>Mirror horizontally (hflip)</source>
            <translation>水平镜像（hflip）</translation>
        </message>
        <message>
            <source>Flip vertically (vflip)</source>
            <translation>垂直翻转（vflip）</translation>
        </message>
        <message>
            <source>Shutter (0 = auto)</source>
            <translation>快门（0 = 自动）</translation>
        </message>
        <message>
            <source>Analogue gain (0 = auto)</source>
            <translation>模拟增益（0 = 自动）</translation>
        </message>
        <message>
            <source>White balance</source>
            <translation>白平衡</translation>
        </message>
        <message>
            <source>Red gain (0 = auto)</source>
            <translation>红色增益（0 = 自动）</translation>
        </message>
        <message>
            <source>Blue gain (0 = auto)</source>
            <translation>蓝色增益（0 = 自动）</translation>
        </message>
        <message>
            <source>Denoise</source>
            <translation>降噪</translation>
        </message>
        <message>
            <source>Frame rate (0 = camera's)</source>
            <translation>帧率（0 = 相机默认）</translation>
        </message>
        <message>
            <source>Load…</source>
            <translation>加载…</translation>
        </message>
        <message>
            <source>Save…</source>
            <translation>保存…</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>应用</translation>
        </message>
        <message>
            <source>Reopen the camera with these settings</source>
            <translation>用这些设置重新打开相机</translation>
        </message>
        <message>
            <source>Problems in the loaded file:</source>
            <translation>已加载文件中的问题：</translation>
        </message>
        <message>
            <source>Load camera config</source>
            <translation>加载相机配置</translation>
        </message>
        <message>
            <source>rpicam-apps config (*.txt *.conf *.cfg);;All files (*)</source>
            <translation>rpicam-apps 配置 (*.txt *.conf *.cfg);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Save camera config</source>
            <translation>保存相机配置</translation>
        </message>
        <message>
            <source>rpicam-apps config (*.txt)</source>
            <translation>rpicam-apps 配置 (*.txt)</translation>
        </message>
        <message>
            <source>error</source>
            <translation>错误</translation>
        </message>
        <message>
            <source>warning</source>
            <translation>警告</translation>
        </message>
        <message>
            <source>file</source>
            <translation>文件</translation>
        </message>
        <message>
            <source>%1: no problems</source>
            <translation>%1：没有问题</translation>
        </message>
        <message>
            <source>%1 could not be written: %2</source>
            <translation>无法写入 %1：%2</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation>已保存 %1</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::DoctorDialog</name>
        <message>
            <source>Rig doctor</source>
            <translation>设备诊断</translation>
        </message>
        <message>
            <source>Checks this machine against the rig: camera, sensor trigger mode, kernel command line, GPIO, groups, real-time scheduling and free disk. Nothing is changed: each problem shows the command or file edit that fixes it.</source>
            <translation>按设备要求检查本机：相机、传感器触发模式、内核命令行、GPIO、用户组、实时调度和可用磁盘空间。不会做任何更改：每个问题都会给出修复它的命令或文件修改。</translation>
        </message>
        <message>
            <source>Check again</source>
            <translation>重新检查</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>Rig: %1</source>
            <translation>设备：%1</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>正常</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>警告</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>问题</translation>
        </message>
        <message>
            <source>Skipped</source>
            <translation>已跳过</translation>
        </message>
        <message>
            <source>The rig doctor is not available here; run 'scopesync doctor' in a terminal.</source>
            <translation>此处无法使用设备诊断；请在终端中运行 'scopesync doctor'。</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>正在检查…</translation>
        </message>
        <message>
            <source>The checks could not run: %1</source>
            <translation>检查无法运行：%1</translation>
        </message>
        <message>
            <source>the doctor stopped with an error</source>
            <translation>诊断因错误而中止</translation>
        </message>
        <message>
            <source>Problems: %1, warnings: %2. Each problem shows its fix.</source>
            <translation>问题：%1，警告：%2。每个问题都附有修复方法。</translation>
        </message>
        <message>
            <source>No problems; warnings: %1.</source>
            <translation>没有问题；警告：%1。</translation>
        </message>
        <message>
            <source>No problems found.</source>
            <translation>未发现问题。</translation>
        </message>
        <message>
            <source>Fix:</source>
            <translation>修复：</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>复制</translation>
        </message>
        <message>
            <source>Copied</source>
            <translation>已复制</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::FiringErrorPlot</name>
        <message>
            <source>Firing error per follower</source>
            <translation>各从机的触发误差</translation>
        </message>
        <message>
            <source>No capture yet: the firing error of each follower (its measured trigger edge − T) appears here.</source>
            <translation>尚未采集：各从机的触发误差（实测触发沿 − T）将显示在这里。</translation>
        </message>
        <message>
            <source>%1 followers · p50 %2 µs · p99 %3 µs · max |error| %4 µs · spread %5 µs</source>
            <translation>%1 台从机 · p50 %2 µs · p99 %3 µs · 最大|误差| %4 µs · 离散 %5 µs</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::FirstRunDialog</name>
        <message>
            <source>Choose a rig</source>
            <translation>选择设备</translation>
        </message>
        <message>
            <source>No rig is configured yet.

Start with the simulated rig to try ScopeSync: it behaves like the reference HQ-camera microscope, banding and all.

To use real hardware, describe it in a rig file (see resources/rigs/) and check the wiring, camera driver and permissions with:
    scopesync doctor</source>
            <translation>尚未配置设备。

先用模拟设备试用 ScopeSync：它的行为与参考 HQ 相机显微镜相同，包括条带现象。

要使用真实硬件，请在设备文件中描述它（参见 resources/rigs/），并用以下命令检查接线、相机驱动和权限：
    scopesync doctor</translation>
        </message>
        <message>
            <source>Cameras on this machine:</source>
            <translation>本机上的相机：</translation>
        </message>
        <message>
            <source>Looking for cameras…</source>
            <translation>正在查找相机…</translation>
        </message>
        <message>
            <source>Use the simulated rig</source>
            <translation>使用模拟设备</translation>
        </message>
        <message>
            <source>Open a rig file…</source>
            <translation>打开设备文件…</translation>
        </message>
        <message>
            <source>Check this machine (rig doctor)…</source>
            <translation>检查本机（设备诊断）…</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>退出</translation>
        </message>
        <message>
            <source>Rig file</source>
            <translation>设备文件</translation>
        </message>
        <message>
            <source>Rig files (*.json);;All files (*)</source>
            <translation>设备文件 (*.json);;所有文件 (*)</translation>
        </message>
        <message>
            <source>The cameras could not be listed: %1</source>
            <translation>无法列出相机：%1</translation>
        </message>
        <message>
            <source>No camera found: neither libcamera nor Qt Multimedia sees one.</source>
            <translation>未找到相机：libcamera 和 Qt Multimedia 都没有发现相机。</translation>
        </message>
        <message>
            <source>Select a camera to see the rig-file entry that uses it.</source>
            <translation>选择一台相机，查看使用它的设备文件条目。</translation>
        </message>
        <message>
            <source>ScopeSync cannot use this camera: %1</source>
            <translation>ScopeSync 无法使用此相机：%1</translation>
        </message>
        <message>
            <source>In a rig file (examples in resources/rigs/): %1</source>
            <translation>在设备文件中（示例见 resources/rigs/）：%1</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::FleetPanel</name>
        <message>
            <source>A file whose first line is the leader's broker password</source>
            <translation>第一行为主机代理密码的文件</translation>
        </message>
        <message>
            <source>For mqtts:// only: the CA certificate that signed the broker's</source>
            <translation>仅用于 mqtts://：签发代理证书的 CA 证书</translation>
        </message>
        <message>
            <source>Broker</source>
            <translation>代理</translation>
        </message>
        <message>
            <source>Fleet</source>
            <translation>机群</translation>
        </message>
        <message>
            <source>Account</source>
            <translation>账户</translation>
        </message>
        <message>
            <source>Password file</source>
            <translation>密码文件</translation>
        </message>
        <message>
            <source>CA (TLS)</source>
            <translation>CA (TLS)</translation>
        </message>
        <message>
            <source>CA certificate</source>
            <translation>CA 证书</translation>
        </message>
        <message>
            <source>Connect</source>
            <translation>连接</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <source>Read the followers' status again</source>
            <translation>重新读取从机状态</translation>
        </message>
        <message>
            <source>Follower</source>
            <translation>从机</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Clock</source>
            <translation>时钟</translation>
        </message>
        <message>
            <source>Error bound µs</source>
            <translation>误差上限 µs</translation>
        </message>
        <message>
            <source>Rig</source>
            <translation>装置</translation>
        </message>
        <message>
            <source>Followers</source>
            <translation>从机</translation>
        </message>
        <message>
            <source>Error µs</source>
            <translation>误差 µs</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>图像</translation>
        </message>
        <message>
            <source>Firing error</source>
            <translation>触发误差</translation>
        </message>
        <message>
            <source>No flash</source>
            <translation>不闪光</translation>
        </message>
        <message>
            <source>Flash duration on each follower, from its rig's flash delay</source>
            <translation>每台从机的闪光时长，自其装置的闪光延迟起算</translation>
        </message>
        <message>
            <source>Capture at now + lead</source>
            <translation>在 当前 + 提前量 时采集</translation>
        </message>
        <message>
            <source>Every online follower fires its camera trigger at T = now + lead; the lead comes from round trips measured through the broker</source>
            <translation>每台在线从机在 T = 当前 + 提前量 时触发相机；提前量由经代理测得的往返时间得出</translation>
        </message>
        <message>
            <source>Could not connect: %1</source>
            <translation>无法连接：%1</translation>
        </message>
        <message>
            <source>Could not subscribe: %1</source>
            <translation>无法订阅：%1</translation>
        </message>
        <message>
            <source>%1 of %2 follower(s) online.</source>
            <translation>%2 台从机中 %1 台在线。</translation>
        </message>
        <message>
            <source>Capturing on %1 follower(s) at now + %2 ms…</source>
            <translation>正在 %1 台从机上于 当前 + %2 ms 采集…</translation>
        </message>
        <message>
            <source>No follower is online: start 'scopesync follow' on the rigs, then Refresh.</source>
            <translation>没有在线从机：请在各装置上启动 'scopesync follow'，然后刷新。</translation>
        </message>
        <message>
            <source>Not sent: %1</source>
            <translation>未发送：%1</translation>
        </message>
        <message>
            <source>This build cannot reach a fleet (no MQTT support).</source>
            <translation>此版本无法连接机群（不支持 MQTT）。</translation>
        </message>
        <message>
            <source>Give the broker, the fleet's name and the leader's account, then Connect. The followers run 'scopesync follow' (docs/fleet.md).</source>
            <translation>填写代理、机群名称和主机账户，然后点击连接。从机上运行 'scopesync follow'（docs/fleet.md）。</translation>
        </message>
        <message>
            <source>Broker: give its address, e.g. mqtt://broker.lab:1883 (mqtts:// for TLS).</source>
            <translation>代理：请填写地址，例如 mqtt://broker.lab:1883（TLS 用 mqtts://）。</translation>
        </message>
        <message>
            <source>Fleet: %1</source>
            <translation>机群：%1</translation>
        </message>
        <message>
            <source>Connecting to %1…</source>
            <translation>正在连接 %1…</translation>
        </message>
        <message>
            <source>Connected to %1 as %2; fleet %3: %4 of %5 follower(s) online.</source>
            <translation>已以 %2 身份连接 %1；机群 %3：%5 台从机中 %4 台在线。</translation>
        </message>
        <message>
            <source>(no account)</source>
            <translation>（无账户）</translation>
        </message>
        <message>
            <source>Reading the followers' status…</source>
            <translation>正在读取从机状态…</translation>
        </message>
        <message>
            <source>online</source>
            <translation>在线</translation>
        </message>
        <message>
            <source>offline</source>
            <translation>离线</translation>
        </message>
        <message>
            <source>Measuring round trips through the broker…</source>
            <translation>正在经代理测量往返时间…</translation>
        </message>
        <message>
            <source>lead %1 ms (p99 round trip %2 ms over %3 samples%4)</source>
            <translation>提前量 %1 ms（p99 往返 %2 ms，共 %3 个样本%4）</translation>
        </message>
        <message>
            <source>, the floor</source>
            <translation>，为下限</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>失败</translation>
        </message>
        <message>
            <source>%1 in %2</source>
            <translation>%1 张，位于 %2</translation>
        </message>
        <message>
            <source>refused</source>
            <translation>已拒绝</translation>
        </message>
        <message>
            <source>no reply</source>
            <translation>无应答</translation>
        </message>
        <message>
            <source>%1: %2 of %3 follower(s) captured; firing error p50 %4 µs, p99 %5 µs, max |error| %6 µs, spread %7 µs.</source>
            <translation>%1：%3 台从机中 %2 台已采集；触发误差 p50 %4 µs，p99 %5 µs，最大|误差| %6 µs，离散 %7 µs。</translation>
        </message>
        <message>
            <source>%1 did not: see the table.</source>
            <translation>%1 台未完成：见表格。</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::InstrumentControls</name>
        <message>
            <source>Filter</source>
            <translation>滤光片</translation>
        </message>
        <message numerus="yes">
            <source>Move the focus %n step(s)</source>
            <translation>
                <numerusform>将对焦移动 %n 步</numerusform>
            </translation>
        </message>
        <message>
            <source>Focus</source>
            <translation>对焦</translation>
        </message>
        <message>
            <source> °C</source>
            <translation> °C</translation>
        </message>
        <message>
            <source>Set point</source>
            <translation>设定值</translation>
        </message>
        <message>
            <source>Heat</source>
            <translation>加热</translation>
        </message>
        <message>
            <source>Slide</source>
            <translation>载玻片</translation>
        </message>
        <message>
            <source>this rig has no filter wheel</source>
            <translation>此设备没有滤光片轮</translation>
        </message>
        <message>
            <source>this rig has no focus drive</source>
            <translation>此设备没有对焦驱动</translation>
        </message>
        <message>
            <source>this rig has no heater</source>
            <translation>此设备没有加热器</translation>
        </message>
        <message>
            <source>moving…</source>
            <translation>移动中…</translation>
        </message>
        <message>
            <source>in place: %1</source>
            <translation>已到位：%1</translation>
        </message>
        <message>
            <source>at %1 steps</source>
            <translation>位于 %1 步</translation>
        </message>
        <message>
            <source>heater off: %1</source>
            <translation>加热器已关闭：%1</translation>
        </message>
        <message>
            <source>no reading</source>
            <translation>无读数</translation>
        </message>
        <message>
            <source>%1 °C → %2 °C, heater %3 %</source>
            <translation>%1 °C → %2 °C，加热器 %3 %</translation>
        </message>
        <message>
            <source>%1 °C, heater off</source>
            <translation>%1 °C，加热器关闭</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::InstrumentSetupSession</name>
        <message>
            <source>no rig is open</source>
            <translation>未打开设备</translation>
        </message>
        <message>
            <source>the rig has no heater with a thermometer</source>
            <translation>设备没有带温度计的加热器</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>已取消</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::InstrumentSetupWizard</name>
        <message>
            <source>Instrument set-up</source>
            <translation>仪器设置</translation>
        </message>
        <message>
            <source>cannot create the folder %1; check its permissions</source>
            <translation>无法创建文件夹 %1；请检查其权限</translation>
        </message>
        <message>
            <source>cannot write %1: %2; free the disk or fix the permission and press Save again</source>
            <translation>无法写入 %1：%2；请释放磁盘空间或修正权限后再按“保存”</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::MainWindow</name>
        <message>
            <source>ScopeSync</source>
            <translation>ScopeSync</translation>
        </message>
        <message>
            <source>Protocol</source>
            <translation>协议</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>运行</translation>
        </message>
        <message>
            <source>Manual</source>
            <translation>手动</translation>
        </message>
        <message>
            <source>Instrument</source>
            <translation>仪器</translation>
        </message>
        <message>
            <source>Camera</source>
            <translation>相机</translation>
        </message>
        <message>
            <source>Timing</source>
            <translation>时序</translation>
        </message>
        <message>
            <source>The rig could not be opened</source>
            <translation>无法打开设备</translation>
        </message>
        <message>
            <source>The image is flagged</source>
            <translation>该图像已被标记</translation>
        </message>
        <message>
            <source>Every take of this image measured a different light from the one planned:
%1

The last take is saved as %2 and flagged in the folder's manifest.jsonl; look at the rig's load and the timing view, then capture again.</source>
            <translation>该图像的每次拍摄测得的光照都与计划不同：
%1

最后一次拍摄已保存为 %2，并在文件夹的 manifest.jsonl 中标记；请检查设备的负载和时序视图，然后重新拍摄。</translation>
        </message>
        <message>
            <source>Primary actions</source>
            <translation>主要操作</translation>
        </message>
        <message>
            <source>Live</source>
            <translation>实时</translation>
        </message>
        <message>
            <source>Live preview on/off (F5)</source>
            <translation>实时预览开/关（F5）</translation>
        </message>
        <message>
            <source>Capture</source>
            <translation>拍摄</translation>
        </message>
        <message>
            <source>Save one image with the LED chosen in Manual (F6)</source>
            <translation>用“手动”中选择的 LED 保存一张图像（F6）</translation>
        </message>
        <message>
            <source>Start run</source>
            <translation>开始运行</translation>
        </message>
        <message>
            <source>Run the protocol (Ctrl+R)</source>
            <translation>运行协议（Ctrl+R）</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <source>Stop the run; every image saved so far is kept (Ctrl+.)</source>
            <translation>停止运行；已保存的图像都会保留（Ctrl+.）</translation>
        </message>
        <message>
            <source>Open…</source>
            <translation>打开…</translation>
        </message>
        <message>
            <source>Open a protocol, native or .454sp.json (Ctrl+O)</source>
            <translation>打开协议，原生格式或 .454sp.json（Ctrl+O）</translation>
        </message>
        <message>
            <source>Open protocol</source>
            <translation>打开协议</translation>
        </message>
        <message>
            <source>Protocols (*.json);;All files (*)</source>
            <translation>协议 (*.json);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Calibrate…</source>
            <translation>校准…</translation>
        </message>
        <message>
            <source>Find the rig's flash delay window (calibration wizard)</source>
            <translation>查找装置的闪光延迟窗口（校准向导）</translation>
        </message>
        <message>
            <source>Rig doctor…</source>
            <translation>设备诊断…</translation>
        </message>
        <message>
            <source>Check this machine for the rig: camera, trigger mode, GPIO, permissions; shows each fix</source>
            <translation>按设备要求检查本机：相机、触发模式、GPIO、权限；并给出每项修复方法</translation>
        </message>
        <message>
            <source>The rig doctor is not available here; run 'scopesync doctor' in a terminal.</source>
            <translation>此处无法使用设备诊断；请在终端中运行 'scopesync doctor'。</translation>
        </message>
        <message>
            <source>Panels</source>
            <translation>面板</translation>
        </message>
        <message>
            <source>Fleet…</source>
            <translation>机群…</translation>
        </message>
        <message>
            <source>Lead a fleet of rigs: capture on every follower at the same instant, see each one's firing error</source>
            <translation>指挥装置机群：所有从机在同一时刻采集，并查看每台的触发误差</translation>
        </message>
        <message>
            <source>Fleets are not available in this build.</source>
            <translation>此版本不支持机群。</translation>
        </message>
        <message>
            <source>Set up instrument…</source>
            <translation>设置仪器…</translation>
        </message>
        <message>
            <source>Centre the filters, focus each filter and tune the heater; saved into the rig file</source>
            <translation>将滤光片居中、为每个滤光片对焦并整定加热器；结果保存到设备文件</translation>
        </message>
        <message>
            <source>Dark theme</source>
            <translation>深色主题</translation>
        </message>
        <message>
            <source>Dim colours for a darkened fluorescence room</source>
            <translation>适合暗室荧光观察的暗淡配色</translation>
        </message>
        <message>
            <source>Full screen</source>
            <translation>全屏</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>退出</translation>
        </message>
        <message>
            <source>A run is in progress</source>
            <translation>正在运行</translation>
        </message>
        <message>
            <source>Stop the run and quit? Every image saved so far is kept.</source>
            <translation>停止运行并退出？已保存的图像都会保留。</translation>
        </message>
        <message>
            <source>Open a protocol first (Open…).</source>
            <translation>请先打开协议（打开…）。</translation>
        </message>
        <message>
            <source>The protocol has errors; fix them first:
%1</source>
            <translation>协议有错误；请先修正：
%1</translation>
        </message>
        <message>
            <source>The run was not started</source>
            <translation>运行未启动</translation>
        </message>
        <message>
            <source>API %1</source>
            <translation>API %1</translation>
        </message>
        <message>
            <source>Scripts can drive this rig through %1 (bearer token required)</source>
            <translation>脚本可通过 %1 控制此设备（需要 Bearer 令牌）</translation>
        </message>
        <message>
            <source>API: %1 (%2)</source>
            <translation>API：%1（%2）</translation>
        </message>
        <message>
            <source>Remote client: %1</source>
            <translation>远程客户端：%1</translation>
        </message>
        <message>
            <source>Nothing was saved: no run folder was created.</source>
            <translation>未保存任何内容：未创建运行文件夹。</translation>
        </message>
        <message>
            <source>%1 of %2 images were saved in %3; each is complete and listed in manifest.jsonl.</source>
            <translation>%2 张图像中的 %1 张已保存在 %3；每张都完整，并列在 manifest.jsonl 中。</translation>
        </message>
        <message>
            <source>All LEDs are off.</source>
            <translation>所有 LED 均已关闭。</translation>
        </message>
        <message>
            <source>WARNING: an LED may still be on.</source>
            <translation>警告：可能仍有 LED 亮着。</translation>
        </message>
        <message>
            <source>The run stopped</source>
            <translation>运行已停止</translation>
        </message>
        <message>
            <source>What happened: %1

What was kept: %2

%3</source>
            <translation>发生了什么：%1

保留了什么：%2

%3</translation>
        </message>
        <message>
            <source>Calibration</source>
            <translation>校准</translation>
        </message>
        <message>
            <source>A run is in progress; calibrate when it has finished.</source>
            <translation>正在运行中；请在运行结束后再校准。</translation>
        </message>
        <message>
            <source>Flash delay %1 ms saved to %2</source>
            <translation>闪光延迟 %1 ms 已保存到 %2</translation>
        </message>
        <message>
            <source>Instrument set-up</source>
            <translation>仪器设置</translation>
        </message>
        <message>
            <source>A run is in progress; set the instrument up when it has finished.</source>
            <translation>正在运行中；请在运行结束后再设置仪器。</translation>
        </message>
        <message>
            <source>This rig has no filter wheel, focus drive or heater to set up. Describe them in the rig file (or import a 454 hardware configuration with 'scopesync rig import') and open it again.</source>
            <translation>此设备没有可设置的滤光片轮、对焦驱动或加热器。请在设备文件中描述它们（或用 'scopesync rig import' 导入 454 硬件配置），然后重新打开该文件。</translation>
        </message>
        <message>
            <source>Instrument set-up saved to %1</source>
            <translation>仪器设置已保存到 %1</translation>
        </message>
        <message>
            <source>Fleet</source>
            <translation>机群</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::ManualControls</name>
        <message>
            <source> ms</source>
            <translation> 毫秒</translation>
        </message>
        <message>
            <source>LED</source>
            <translation>LED</translation>
        </message>
        <message>
            <source>Duration</source>
            <translation>时长</translation>
        </message>
        <message>
            <source>Flash</source>
            <translation>闪光</translation>
        </message>
        <message>
            <source>Capture image</source>
            <translation>拍摄图像</translation>
        </message>
        <message>
            <source>Strobe live preview</source>
            <translation>实时预览频闪</translation>
        </message>
        <message>
            <source>This rig has no LEDs: captures are dark frames.</source>
            <translation>此设备没有 LED：拍摄的是暗帧。</translation>
        </message>
        <message>
            <source>Up to %1 ms for %2 (the rig's safety limit). Strobed captures flash %3 ms after the frame trigger.</source>
            <translation>%2 最多 %1 毫秒（设备安全限值）。频闪拍摄在帧触发后 %3 毫秒闪光。</translation>
        </message>
        <message>
            <source>Saved %1 in %2</source>
            <translation>已将 %1 保存到 %2</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::PreviewPanel</name>
        <message>
            <source>Tap the image for a pixel value</source>
            <translation>点击图像查看像素值</translation>
        </message>
        <message>
            <source>B </source>
            <translation>黑 </translation>
        </message>
        <message>
            <source>Black level (12-bit)</source>
            <translation>黑电平（12 位）</translation>
        </message>
        <message>
            <source>W </source>
            <translation>白 </translation>
        </message>
        <message>
            <source>White level (12-bit)</source>
            <translation>白电平（12 位）</translation>
        </message>
        <message>
            <source>Auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <source>Set black and white from the histogram (0.1 % and 99.9 %)</source>
            <translation>根据直方图设置黑白电平（0.1 % 和 99.9 %）</translation>
        </message>
        <message>
            <source>Colour</source>
            <translation>颜色</translation>
        </message>
        <message>
            <source>False-colour palette</source>
            <translation>伪彩色调色板</translation>
        </message>
        <message>
            <source>Clip</source>
            <translation>过曝</translation>
        </message>
        <message>
            <source>Mark overexposed pixels in red</source>
            <translation>用红色标记过曝像素</translation>
        </message>
        <message>
            <source>Fit</source>
            <translation>适应窗口</translation>
        </message>
        <message>
            <source>Zoom to fit (double-tap the image to zoom in)</source>
            <translation>缩放以适应窗口（双击图像放大）</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::PreviewWidget</name>
        <message>
            <source>x %1  y %2  value %3</source>
            <translation>x %1  y %2  值 %3</translation>
        </message>
        <message>
            <source>No preview yet. Press Live to start the camera.</source>
            <translation>尚无预览。按“实时”启动相机。</translation>
        </message>
        <message>
            <source>ISP preview (processed); zoom in for raw pixels</source>
            <translation>ISP 预览（已处理）；放大查看原始像素</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::ProtocolEditor</name>
        <message>
            <source>Add…</source>
            <translation>添加…</translation>
        </message>
        <message>
            <source>Duplicate</source>
            <translation>复制</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Up</source>
            <translation>上移</translation>
        </message>
        <message>
            <source>Down</source>
            <translation>下移</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>撤销</translation>
        </message>
        <message>
            <source>Redo</source>
            <translation>重做</translation>
        </message>
        <message>
            <source>Open…</source>
            <translation>打开…</translation>
        </message>
        <message>
            <source>Import 454…</source>
            <translation>导入 454…</translation>
        </message>
        <message>
            <source>Save…</source>
            <translation>保存…</translation>
        </message>
        <message>
            <source>Remove step</source>
            <translation>删除步骤</translation>
        </message>
        <message>
            <source>Could not open %1; the problems are listed above.</source>
            <translation>无法打开 %1；问题已在上方列出。</translation>
        </message>
        <message>
            <source>Opened %1 with errors: the parts that could not be read are left out.</source>
            <translation>已打开 %1，但有错误：无法读取的部分已略去。</translation>
        </message>
        <message>
            <source>Opened %1.</source>
            <translation>已打开 %1。</translation>
        </message>
        <message>
            <source>Not saved: ScopeSync saves its own format; choose a name ending in .json without .454sp, so the file is not mistaken for a 454 protocol.</source>
            <translation>未保存：ScopeSync 以自身格式保存；请选择以 .json 结尾且不含 .454sp 的文件名，以免被误认为 454 协议。</translation>
        </message>
        <message>
            <source>Not saved: %1</source>
            <translation>未保存：%1</translation>
        </message>
        <message>
            <source>Saved %1.</source>
            <translation>已保存 %1。</translation>
        </message>
        <message>
            <source>454 Bio protocols (*.454sp.json)</source>
            <translation>454 Bio 协议 (*.454sp.json)</translation>
        </message>
        <message>
            <source>Protocols (*.json)</source>
            <translation>协议 (*.json)</translation>
        </message>
        <message>
            <source>Import a 454 protocol</source>
            <translation>导入 454 协议</translation>
        </message>
        <message>
            <source>Open a protocol</source>
            <translation>打开协议</translation>
        </message>
        <message>
            <source>Save the protocol</source>
            <translation>保存协议</translation>
        </message>
        <message>
            <source>Add %1</source>
            <translation>添加%1</translation>
        </message>
        <message>
            <source>Duplicate step</source>
            <translation>复制步骤</translation>
        </message>
        <message>
            <source>Move step</source>
            <translation>移动步骤</translation>
        </message>
        <message>
            <source>Edit %1</source>
            <translation>编辑%1</translation>
        </message>
        <message>
            <source>%1 (in the file): %2</source>
            <translation>%1（文件中）：%2</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1：%2</translation>
        </message>
        <message>
            <source>No problems found.</source>
            <translation>未发现问题。</translation>
        </message>
        <message>
            <source>%1 images · about %2</source>
            <translation>%1 张图像 · 约 %2</translation>
        </message>
        <message>
            <source> plus heating time</source>
            <translation> 另加加热时间</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::ProtocolTreeModel</name>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 小时 %2 分</translation>
        </message>
        <message>
            <source>%1 min %2 s</source>
            <translation>%1 分 %2 秒</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 毫秒</translation>
        </message>
        <message>
            <source>%1 %2</source>
            <translation>%1 %2</translation>
        </message>
        <message>
            <source> at %1 ‰</source>
            <translation>，强度 %1 ‰</translation>
        </message>
        <message>
            <source>no light</source>
            <translation>无光照</translation>
        </message>
        <message>
            <source>Group</source>
            <translation>组</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>图像</translation>
        </message>
        <message>
            <source>Wait</source>
            <translation>等待</translation>
        </message>
        <message>
            <source>Temperature</source>
            <translation>温度</translation>
        </message>
        <message>
            <source>Illuminate</source>
            <translation>照明</translation>
        </message>
        <message>
            <source>× %1</source>
            <translation>× %1</translation>
        </message>
        <message>
            <source>%1 through %2</source>
            <translation>%1，经滤光片 %2</translation>
        </message>
        <message>
            <source>%1 K (%2 °C)</source>
            <translation>%1 K（%2 °C）</translation>
        </message>
        <message>
            <source>%1 for %2</source>
            <translation>%1，持续 %2</translation>
        </message>
        <message>
            <source>, an image every %1</source>
            <translation>，每 %1 一张图像</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1：%2</translation>
        </message>
        <message>
            <source>Step</source>
            <translation>步骤</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>详情</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::RigCalibrationSession</name>
        <message>
            <source>no rig is open</source>
            <translation>未打开设备</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>已取消</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::RigController</name>
        <message>
            <source>%1 (strobed each frame)</source>
            <translation>%1（每帧频闪）</translation>
        </message>
        <message>
            <source>Flash</source>
            <translation>闪光</translation>
        </message>
        <message>
            <source>No rig is open.</source>
            <translation>没有打开的设备。</translation>
        </message>
        <message>
            <source>Flash refused</source>
            <translation>闪光被拒绝</translation>
        </message>
        <message>
            <source>%1 (flash)</source>
            <translation>%1（闪光）</translation>
        </message>
        <message>
            <source>Capture failed</source>
            <translation>拍摄失败</translation>
        </message>
        <message>
            <source>The rig has no LED '%1'.</source>
            <translation>设备没有 LED“%1”。</translation>
        </message>
        <message>
            <source>A %1 ms flash is outside 1–%2 ms, the rig's safety limit for %3.</source>
            <translation>%1 毫秒的闪光超出 1–%2 毫秒，即本设备对 %3 的安全限值。</translation>
        </message>
        <message>
            <source>Live preview</source>
            <translation>实时预览</translation>
        </message>
        <message>
            <source>no rig is open</source>
            <translation>未打开设备</translation>
        </message>
        <message>
            <source>Live preview stopped</source>
            <translation>实时预览已停止</translation>
        </message>
        <message>
            <source>Filter</source>
            <translation>滤光片</translation>
        </message>
        <message>
            <source>This rig has no filter wheel.</source>
            <translation>此设备没有滤光片轮。</translation>
        </message>
        <message>
            <source>Focus</source>
            <translation>对焦</translation>
        </message>
        <message>
            <source>This rig has no focus drive.</source>
            <translation>此设备没有对焦驱动。</translation>
        </message>
        <message>
            <source>Heater</source>
            <translation>加热器</translation>
        </message>
        <message>
            <source>This rig has no heater.</source>
            <translation>此设备没有加热器。</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::RowProfilePlot</name>
        <message>
            <source>row 0</source>
            <translation>第 0 行</translation>
        </message>
        <message>
            <source>last row</source>
            <translation>最后一行</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::RunPanel</name>
        <message>
            <source>Start</source>
            <translation>开始</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>暂停</translation>
        </message>
        <message>
            <source>Hold the run before its next step; press again to continue</source>
            <translation>在下一步之前暂停运行；再按一次继续</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <source>Not started</source>
            <translation>未开始</translation>
        </message>
        <message>
            <source>No protocol loaded</source>
            <translation>未加载协议</translation>
        </message>
        <message>
            <source>Protocol: %1</source>
            <translation>协议：%1</translation>
        </message>
        <message>
            <source>%v / %m images</source>
            <translation>%v / %m 张图像</translation>
        </message>
        <message>
            <source>Saving into %1</source>
            <translation>正在保存到 %1</translation>
        </message>
        <message>
            <source>Elapsed %1 · about %2 left</source>
            <translation>已用 %1 · 约剩 %2</translation>
        </message>
        <message>
            <source>%1: %2 (%3)</source>
            <translation>%1：%2（%3）</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>Paused before: %1</source>
            <translation>已在此前暂停：%1</translation>
        </message>
        <message>
            <source>Completed: %1 images in %2</source>
            <translation>已完成：%1 张图像，位于 %2</translation>
        </message>
        <message>
            <source>Stopped: %1. Kept %2 of %3 images in %4.</source>
            <translation>已停止：%1。%3 张图像中保留了 %2 张，位于 %4。</translation>
        </message>
        <message>
            <source>(no folder was created)</source>
            <translation>（未创建文件夹）</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::ScoreCurvePlot</name>
        <message>
            <source>delay (ms)</source>
            <translation>延迟（毫秒）</translation>
        </message>
        <message>
            <source>%1 ms: uniformity %2, %3 % of rows lit, dark edge %4</source>
            <translation>%1 毫秒：均匀度 %2，%3 % 的行被照亮，暗边 %4</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::StatusStrip</name>
        <message>
            <source>No rig open</source>
            <translation>未打开设备</translation>
        </message>
        <message>
            <source>simulated</source>
            <translation>模拟</translation>
        </message>
        <message>
            <source>LEDs off</source>
            <translation>LED 关闭</translation>
        </message>
        <message>
            <source>LED on: %1</source>
            <translation>LED 开：%1</translation>
        </message>
        <message>
            <source>run</source>
            <translation>运行</translation>
        </message>
        <message>
            <source>running</source>
            <translation>运行中</translation>
        </message>
        <message>
            <source>live</source>
            <translation>实时</translation>
        </message>
        <message>
            <source>idle</source>
            <translation>空闲</translation>
        </message>
        <message>
            <source>%1 rig · %2 · %3 · %4 · %5 fps · missed %6, rejected %7 · preview dropped %8 of %9 · %10</source>
            <translation>%1 设备 · %2 · %3 · %4 · %5 fps · 漏失 %6，拒绝 %7 · 预览丢弃 %9 中的 %8 · %10</translation>
        </message>
        <message>
            <source> · filter %1</source>
            <translation> · 滤光片 %1</translation>
        </message>
        <message>
            <source>moving</source>
            <translation>移动中</translation>
        </message>
        <message>
            <source> · focus %1</source>
            <translation> · 对焦 %1</translation>
        </message>
        <message>
            <source> · heater OFF: %1</source>
            <translation> · 加热器关闭：%1</translation>
        </message>
        <message>
            <source> · %1 °C → %2 °C, heater %3 %</source>
            <translation> · %1 °C → %2 °C，加热器 %3 %</translation>
        </message>
        <message>
            <source> · %1 °C</source>
            <translation> · %1 °C</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::StepForm</name>
        <message>
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>e.g. 645 or Before incorporation</source>
            <translation>例如 645 或 掺入前</translation>
        </message>
        <message>
            <source>Label</source>
            <translation>标签</translation>
        </message>
        <message>
            <source> times</source>
            <translation> 次</translation>
        </message>
        <message>
            <source>Repeat</source>
            <translation>重复</translation>
        </message>
        <message>
            <source>Emission filter</source>
            <translation>发射滤光片</translation>
        </message>
        <message>
            <source> ms</source>
            <translation> 毫秒</translation>
        </message>
        <message>
            <source>Duration</source>
            <translation>时长</translation>
        </message>
        <message>
            <source> K</source>
            <translation> K</translation>
        </message>
        <message>
            <source>Temperature</source>
            <translation>温度</translation>
        </message>
        <message>
            <source>= %1 °C</source>
            <translation>= %1 °C</translation>
        </message>
        <message>
            <source>Capture every</source>
            <translation>拍摄间隔</translation>
        </message>
        <message>
            <source>While lit</source>
            <translation>照明期间</translation>
        </message>
        <message>
            <source>LED</source>
            <translation>LED</translation>
        </message>
        <message>
            <source>Duration (ms)</source>
            <translation>时长（毫秒）</translation>
        </message>
        <message>
            <source>Intensity (‰)</source>
            <translation>强度（‰）</translation>
        </message>
        <message>
            <source>Flashes</source>
            <translation>闪光</translation>
        </message>
        <message>
            <source>Add flash</source>
            <translation>添加闪光</translation>
        </message>
        <message>
            <source>Remove flash</source>
            <translation>删除闪光</translation>
        </message>
        <message>
            <source>Select a step in the tree</source>
            <translation>请在树中选择一个步骤</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
        <message>
            <source>%1 (not on this rig)</source>
            <translation>%1（本设备没有）</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::TemperaturePlot</name>
        <message>
            <source>Temperature plot</source>
            <translation>温度曲线</translation>
        </message>
        <message>
            <source>no temperature yet</source>
            <translation>尚无温度数据</translation>
        </message>
        <message>
            <source>last %1 min</source>
            <translation>最近 %1 分钟</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::TimingView</name>
        <message>
            <source>Tap or point at the plot for times, rows and pulses.</source>
            <translation>点击或指向图表以查看时间、行和脉冲。</translation>
        </message>
        <message>
            <source>trigger</source>
            <translation>触发</translation>
        </message>
        <message>
            <source>%1 µs</source>
            <translation>%1 微秒</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 毫秒</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 秒</translation>
        </message>
        <message>
            <source>rows
0–%1</source>
            <translation>行
0–%1</translation>
        </message>
        <message>
            <source>rows</source>
            <translation>行</translation>
        </message>
        <message>
            <source>t = %1 after the trigger</source>
            <translation>触发后 t = %1</translation>
        </message>
        <message>
            <source> · row %1 exposes %2 – %3 (%4)</source>
            <translation> · 第 %1 行曝光 %2 – %3（%4）</translation>
        </message>
        <message>
            <source>exposing now</source>
            <translation>正在曝光</translation>
        </message>
        <message>
            <source>not exposing now</source>
            <translation>当前未曝光</translation>
        </message>
        <message>
            <source>%1 %2 %</source>
            <translation>%1 %2 %</translation>
        </message>
        <message>
            <source>This row receives: %1</source>
            <translation>此行接收：%1</translation>
        </message>
        <message>
            <source> · trigger edge at 0; row 0 starts exposing %1 later</source>
            <translation> · 触发沿位于 0；第 0 行在 %1 后开始曝光</translation>
        </message>
        <message>
            <source>planned %1 – %2</source>
            <translation>计划 %1 – %2</translation>
        </message>
        <message>
            <source>valid starts %1 – %2</source>
            <translation>有效起始 %1 – %2</translation>
        </message>
        <message>
            <source>no start lights every row: needs a shutter ≥ %1</source>
            <translation>没有能照亮所有行的起始时间：需要快门 ≥ %1</translation>
        </message>
        <message>
            <source>measured %1 at %2 (%3 from intended)</source>
            <translation>实测%1于 %2（与预期相差 %3）</translation>
        </message>
        <message>
            <source>on</source>
            <translation>开</translation>
        </message>
        <message>
            <source>off</source>
            <translation>关</translation>
        </message>
        <message>
            <source> · %1</source>
            <translation> · %1</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::XyPlot</name>
        <message>
            <source>no measurement yet</source>
            <translation>尚无测量数据</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::CalibrationChecksPage</name>
        <message>
            <source>Before calibrating</source>
            <translation>校准之前</translation>
        </message>
        <message>
            <source>Rig: %1 backend, %2 %3×%4, trigger %5, LEDs %6</source>
            <translation>设备：%1 后端，%2 %3×%4，触发 %5，LED %6</translation>
        </message>
        <message>
            <source>Rolling shutter: the flash must land while every row exposes.</source>
            <translation>卷帘快门：闪光必须在所有行都在曝光时发生。</translation>
        </message>
        <message>
            <source>Global shutter: every row exposes together; the window starts at the trigger.</source>
            <translation>全局快门：所有行同时曝光；窗口从触发开始。</translation>
        </message>
        <message>
            <source>✔ Camera settings are fixed (shutter %1 ms, gain %2).</source>
            <translation>✔ 相机设置已固定（快门 %1 毫秒，增益 %2）。</translation>
        </message>
        <message>
            <source>⚠ Camera settings are not fully fixed: %1. Scores compare frames, so fix them first for a trustworthy result.</source>
            <translation>⚠ 相机设置未完全固定：%1。评分会比较各帧，请先固定设置以获得可靠结果。</translation>
        </message>
        <message>
            <source>ℹ No trigger wire (free-run): the flashes follow frame starts predicted from the camera's timestamps, so the window found is only as precise as those timestamps.</source>
            <translation>ℹ 无触发线（自由运行）：闪光跟随根据相机时间戳预测的帧起始时刻，因此找到的窗口精度取决于这些时间戳。</translation>
        </message>
        <message>
            <source>A slide is in place, focused, and will not move during calibration</source>
            <translation>载玻片已放好并对焦，校准期间不会移动</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::CalibrationResultPage</name>
        <message>
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>应用</translation>
        </message>
        <message>
            <source>&lt;b&gt;Recommended delay: %1 ms&lt;/b&gt; (%2)&lt;br&gt;Valid window: %3 – %4 ms after the trigger (%5 ms wide)&lt;br&gt;The model predicted %6 – %7 ms: this rig's trigger offset is %8 ms.&lt;br&gt;%9 frames, %10.&lt;br&gt;&lt;br&gt;Apply saves this as the rig's calibration profile at&lt;br&gt;&lt;tt&gt;%11&lt;/tt&gt;&lt;br&gt;Runs use its delay by default and warn when the sensor mode, shutter or flash differ.</source>
            <translation>&lt;b&gt;推荐延迟：%1 毫秒&lt;/b&gt;（%2）&lt;br&gt;有效窗口：触发后 %3 – %4 毫秒（宽 %5 毫秒）&lt;br&gt;模型预测为 %6 – %7 毫秒：本设备的触发偏移为 %8 毫秒。&lt;br&gt;%9 帧，%10。&lt;br&gt;&lt;br&gt;“应用”会将其保存为本设备的校准配置文件，位置：&lt;br&gt;&lt;tt&gt;%11&lt;/tt&gt;&lt;br&gt;运行默认使用该延迟，并在传感器模式、快门或闪光不同时发出警告。</translation>
        </message>
        <message>
            <source>earliest + %1 ms</source>
            <translation>最早 + %1 毫秒</translation>
        </message>
        <message>
            <source>centre</source>
            <translation>中心</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::CalibrationRunPage</name>
        <message>
            <source>Searching</source>
            <translation>搜索中</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 毫秒</translation>
        </message>
        <message>
            <source>Frame %1 (%2) at %3 ms: uniformity %4, dark edge: %5.&lt;br&gt;Window so far: %6 – %7 ms</source>
            <translation>第 %1 帧（%2），%3 毫秒：均匀度 %4，暗边：%5。&lt;br&gt;目前窗口：%6 – %7 毫秒</translation>
        </message>
        <message>
            <source>Done in %1 frames: window %2 – %3 ms.</source>
            <translation>用 %1 帧完成：窗口 %2 – %3 毫秒。</translation>
        </message>
        <message>
            <source>⚠ Calibration stopped: %1&lt;br&gt;Nothing was saved; every LED is off. Go back to change the settings.</source>
            <translation>⚠ 校准已停止：%1&lt;br&gt;未保存任何内容；所有 LED 均已关闭。返回以更改设置。</translation>
        </message>
        <message>
            <source>Starting the rig…</source>
            <translation>正在启动设备…</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::CalibrationSetupPage</name>
        <message>
            <source>Light and target</source>
            <translation>光源与目标</translation>
        </message>
        <message>
            <source>LED</source>
            <translation>LED</translation>
        </message>
        <message>
            <source> ms</source>
            <translation> 毫秒</translation>
        </message>
        <message>
            <source>Flash</source>
            <translation>闪光</translation>
        </message>
        <message>
            <source>Centre of the window (most tolerant)</source>
            <translation>窗口中心（容差最大）</translation>
        </message>
        <message>
            <source>Earliest, with a margin of</source>
            <translation>最早，余量为</translation>
        </message>
        <message>
            <source>Recommend</source>
            <translation>推荐</translation>
        </message>
        <message>
            <source>Plain sweep instead (every step, slower; shows the whole curve)</source>
            <translation>改用普通扫描（逐步进行，较慢；显示完整曲线）</translation>
        </message>
        <message>
            <source>step</source>
            <translation>步骤</translation>
        </message>
        <message>
            <source>Sweep</source>
            <translation>扫描</translation>
        </message>
        <message>
            <source>The sensor model predicts a window of %1 – %2 ms after the trigger; the rig's own trigger offset moves it, which is what the calibration measures.</source>
            <translation>传感器模型预测触发后 %1 – %2 毫秒的窗口；设备自身的触发偏移会使其移动，这正是校准所测量的。</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::HeaterSetupPage</name>
        <message>
            <source>Tune the heater</source>
            <translation>整定加热器</translation>
        </message>
        <message>
            <source> ‰</source>
            <translation> ‰</translation>
        </message>
        <message>
            <source>Step duty</source>
            <translation>阶跃占空比</translation>
        </message>
        <message>
            <source> °C</source>
            <translation> °C</translation>
        </message>
        <message>
            <source>Predict at</source>
            <translation>预测温度</translation>
        </message>
        <message>
            <source>Start step test</source>
            <translation>开始阶跃测试</translation>
        </message>
        <message>
            <source>Save P and I</source>
            <translation>保存 P 和 I</translation>
        </message>
        <message>
            <source>The step test turns the heater on at the step's duty from cold and records the temperature until it levels off (minutes). The heater is off at its end, on Cancel and on any sensor fault.</source>
            <translation>阶跃测试从冷态开始以阶跃占空比开启加热器，并记录温度直到其趋于平稳（需数分钟）。测试结束、按“取消”或出现任何传感器故障时，加热器都会关闭。</translation>
        </message>
        <message>
            <source>s</source>
            <translation>秒</translation>
        </message>
        <message>
            <source>°C: step response, fitted model</source>
            <translation>°C：阶跃响应、拟合模型</translation>
        </message>
        <message>
            <source>°C predicted: proposed, rig's now</source>
            <translation>°C 预测：建议值、设备当前值</translation>
        </message>
        <message>
            <source>Step test: %1 s, %2 °C; the heater is on at %3 ‰. Cancel turns it off.</source>
            <translation>阶跃测试：%1 秒，%2 °C；加热器以 %3 ‰ 开启。按“取消”可将其关闭。</translation>
        </message>
        <message>
            <source>⚠ Step test stopped, heater off: %1</source>
            <translation>⚠ 阶跃测试已停止，加热器已关闭：%1</translation>
        </message>
        <message>
            <source>Cancel (heater off)</source>
            <translation>取消（关闭加热器）</translation>
        </message>
        <message>
            <source>⚠ No model fits this step response: %1</source>
            <translation>⚠ 没有模型能拟合此阶跃响应：%1</translation>
        </message>
        <message>
            <source>fit</source>
            <translation>拟合</translation>
        </message>
        <message>
            <source>proposed</source>
            <translation>建议值</translation>
        </message>
        <message>
            <source>now</source>
            <translation>当前值</translation>
        </message>
        <message>
            <source>does not settle within %1 s</source>
            <translation>%1 秒内未稳定</translation>
        </message>
        <message>
            <source>settles in %1 s</source>
            <translation>%1 秒内稳定</translation>
        </message>
        <message>
            <source>settled</source>
            <translation>已稳定</translation>
        </message>
        <message>
            <source>Model: %1 K per 100 ‰, time constant %2 s, dead time %3 s (fit rms %4 K).
Proposed P %5 ‰/K, I %6 ‰/(K·s): to %7 °C %8, overshoot %9 K.
The rig's P %10, I %11: %12, overshoot %13 K.</source>
            <translation>模型：每 100 ‰ 升温 %1 K，时间常数 %2 秒，纯滞后 %3 秒（拟合均方根误差 %4 K）。
建议 P %5 ‰/K，I %6 ‰/(K·s)：目标 %7 °C，%8，超调 %9 K。
设备当前 P %10，I %11：%12，超调 %13 K。</translation>
        </message>
        <message>
            <source>✔ Saved P %1 ‰/K and I %2 ‰/(K·s) into %3</source>
            <translation>✔ 已将 P %1 ‰/K 和 I %2 ‰/(K·s) 保存到 %3</translation>
        </message>
        <message>
            <source>⚠ Not saved: %1</source>
            <translation>⚠ 未保存：%1</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::PositionSetupPage</name>
        <message>
            <source>Centre each filter</source>
            <translation>将每个滤光片居中</translation>
        </message>
        <message>
            <source>Focus each filter</source>
            <translation>为每个滤光片对焦</translation>
        </message>
        <message>
            <source>no frame yet</source>
            <translation>尚无图像帧</translation>
        </message>
        <message>
            <source>Filter, LED</source>
            <translation>滤光片、LED</translation>
        </message>
        <message>
            <source> steps</source>
            <translation> 步</translation>
        </message>
        <message>
            <source> µs</source>
            <translation> 微秒</translation>
        </message>
        <message>
            <source>Wheel at</source>
            <translation>滤光片轮位置</translation>
        </message>
        <message>
            <source>Focus at</source>
            <translation>对焦位置</translation>
        </message>
        <message>
            <source>Scan</source>
            <translation>扫描</translation>
        </message>
        <message>
            <source>Measure the light either side of this position and find its centre</source>
            <translation>测量此位置两侧的光强并找出其中心</translation>
        </message>
        <message>
            <source>Measure the sharpness over a range around this position</source>
            <translation>在此位置周围的一段范围内测量清晰度</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>steps</source>
            <translation>步</translation>
        </message>
        <message>
            <source>µs</source>
            <translation>µs</translation>
        </message>
        <message>
            <source>light (of full scale)</source>
            <translation>光强（占满量程）</translation>
        </message>
        <message>
            <source>sharpness</source>
            <translation>清晰度</translation>
        </message>
        <message>
            <source>At %1: %2 % of full scale through the filter</source>
            <translation>位于 %1：透过滤光片的光强为满量程的 %2 %</translation>
        </message>
        <message>
            <source>At %1 steps: sharpness %2</source>
            <translation>位于 %1 步：清晰度 %2</translation>
        </message>
        <message>
            <source>Scanning: %1 of %2 positions</source>
            <translation>正在扫描：第 %1 个位置，共 %2 个</translation>
        </message>
        <message>
            <source>Best at %1 (contrast %2 %); the wheel moves there. Save keeps it.</source>
            <translation>最佳位置 %1（对比度 %2 %）；滤光片轮将移到该处。按“保存”保留此位置。</translation>
        </message>
        <message>
            <source>⚠ %1</source>
            <translation>⚠ %1</translation>
        </message>
        <message>
            <source>Cancel scan</source>
            <translation>取消扫描</translation>
        </message>
        <message>
            <source>Save for %1</source>
            <translation>为 %1 保存</translation>
        </message>
        <message>
            <source>✔ Saved %1 for %2 into %3</source>
            <translation>✔ 已将 %2 的 %1 保存到 %3</translation>
        </message>
        <message>
            <source>⚠ Not saved: %1</source>
            <translation>⚠ 未保存：%1</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::SetupIntroPage</name>
        <message>
            <source>Set the instrument up</source>
            <translation>设置仪器</translation>
        </message>
        <message>
            <source>Filter wheel (%1): centre each filter in the beam.</source>
            <translation>滤光片轮（%1）：将每个滤光片在光路中居中。</translation>
        </message>
        <message>
            <source>No filter wheel in this rig.</source>
            <translation>此设备没有滤光片轮。</translation>
        </message>
        <message>
            <source>Focus (%1): find each filter's sharpest position.</source>
            <translation>对焦（%1）：为每个滤光片找到最清晰的位置。</translation>
        </message>
        <message>
            <source>No focus drive in this rig.</source>
            <translation>此设备没有对焦驱动。</translation>
        </message>
        <message>
            <source>Heater (%1): a step test proposes P and I and predicts the settling.</source>
            <translation>加热器（%1）：通过阶跃测试给出 P 和 I 的建议值，并预测稳定过程。</translation>
        </message>
        <message>
            <source>No heater in this rig.</source>
            <translation>此设备没有加热器。</translation>
        </message>
        <message>
            <source>The built-in simulated rig has no file: the first Save writes it to %1 (start with --rig %1 to use it).</source>
            <translation>内置模拟设备没有文件：第一次保存时会将其写入 %1（以 --rig %1 启动即可使用它）。</translation>
        </message>
        <message>
            <source>Each Save writes one value into %1, keeping every other field.</source>
            <translation>每次保存只向 %1 写入一个值，其他字段均保持不变。</translation>
        </message>
        <message>
            <source>Nothing is saved until you press a page's Save button; Cancel keeps what was saved.</source>
            <translation>在您按下某页的“保存”按钮之前，不会保存任何内容；“取消”会保留已保存的内容。</translation>
        </message>
    </context>
</TS>
