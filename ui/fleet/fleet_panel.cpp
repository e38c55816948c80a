// FleetPanel: the leader in the GUI; it shows what its FleetController does.
#include "ui/fleet/fleet_panel.h"

#include "core/fleet/firing_statistics.h"
#include "ui/common/touch_spin_box.h"
#include "ui/fleet/firing_error_plot.h"

#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace scopesync::ui {

namespace {

using core::fleet::ClockState;

constexpr int kTouchPx = 48;

QString usText(std::chrono::nanoseconds d)
{
    return QString::number(static_cast<double>(d.count()) / 1000.0, 'f', 1);
}

QTableWidget *makeTable(const QStringList &headers, const QString &objectName, QWidget *parent)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setObjectName(objectName);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->verticalHeader()->setVisible(false);
    t->verticalHeader()->setDefaultSectionSize(kTouchPx - 8);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QTableWidgetItem *item(const QString &text, Qt::Alignment align = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto *i = new QTableWidgetItem(text);
    i->setTextAlignment(align);
    return i;
}

// A file field with a "…" button that opens a file dialog.
QWidget *fileField(QLineEdit *edit, const QString &title, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *l = new QHBoxLayout(box);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(edit, 1);
    auto *browse = new QPushButton(QStringLiteral("…"), box);
    browse->setMinimumSize(kTouchPx, kTouchPx);
    browse->setToolTip(title);
    QObject::connect(browse, &QPushButton::clicked, box, [edit, title, box] {
        const QString f = QFileDialog::getOpenFileName(box, title, edit->text());
        if (!f.isEmpty())
            edit->setText(f);
    });
    l->addWidget(browse);
    return box;
}

}  // namespace

FleetPanel::FleetPanel(core::fleet::FleetConnectFn connectFn, QStringList leds, QWidget *parent)
    : QWidget(parent), m_controller(std::make_unique<FleetController>(std::move(connectFn)))
{
    setObjectName(QStringLiteral("fleetPanel"));
    auto *layout = new QVBoxLayout(this);

    // Connection: as on the command line (`scopesync fleet --help`).
    auto *grid = new QGridLayout;
    m_broker = new QLineEdit(this);
    m_broker->setObjectName(QStringLiteral("fleetBroker"));
    m_broker->setPlaceholderText(QStringLiteral("mqtt://broker.lab:1883"));
    m_fleet = new QLineEdit(this);
    m_fleet->setObjectName(QStringLiteral("fleetName"));
    m_fleet->setPlaceholderText(QStringLiteral("lab"));
    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("fleetUser"));
    m_user->setPlaceholderText(QStringLiteral("leader"));
    m_passwordFile = new QLineEdit(this);
    m_passwordFile->setObjectName(QStringLiteral("fleetPasswordFile"));
    m_passwordFile->setToolTip(tr("A file whose first line is the leader's broker password"));
    m_caFile = new QLineEdit(this);
    m_caFile->setObjectName(QStringLiteral("fleetCaFile"));
    m_caFile->setToolTip(tr("For mqtts:// only: the CA certificate that signed the broker's"));
    for (auto *e : {m_broker, m_fleet, m_user, m_passwordFile, m_caFile})
        e->setMinimumHeight(kTouchPx - 8);
    grid->addWidget(new QLabel(tr("Broker"), this), 0, 0);
    grid->addWidget(m_broker, 0, 1);
    grid->addWidget(new QLabel(tr("Fleet"), this), 0, 2);
    grid->addWidget(m_fleet, 0, 3);
    grid->addWidget(new QLabel(tr("Account"), this), 1, 0);
    grid->addWidget(m_user, 1, 1);
    grid->addWidget(new QLabel(tr("Password file"), this), 1, 2);
    grid->addWidget(fileField(m_passwordFile, tr("Password file"), this), 1, 3);
    grid->addWidget(new QLabel(tr("CA (TLS)"), this), 2, 0);
    grid->addWidget(fileField(m_caFile, tr("CA certificate"), this), 2, 1);
    m_connectButton = new QPushButton(tr("Connect"), this);
    m_connectButton->setObjectName(QStringLiteral("fleetConnect"));
    m_refreshButton = new QPushButton(tr("Refresh"), this);
    m_refreshButton->setObjectName(QStringLiteral("fleetRefresh"));
    m_refreshButton->setToolTip(tr("Read the followers' status again"));
    auto *buttons = new QHBoxLayout;
    for (auto *b : {m_connectButton, m_refreshButton}) {
        b->setMinimumSize(2 * kTouchPx, kTouchPx);
        buttons->addWidget(b);
    }
    grid->addLayout(buttons, 2, 3);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    layout->addLayout(grid);

    // Followers and results.
    auto *tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("fleetTabs"));
    m_followers = makeTable({tr("Follower"), tr("State"), tr("Clock"), tr("Error bound µs"), tr("Rig")},
        QStringLiteral("fleetFollowers"), this);
    tabs->addTab(m_followers, tr("Followers"));
    auto *split = new QSplitter(Qt::Horizontal, this);
    m_results = makeTable(
        {tr("Follower"), tr("Error µs"), tr("Clock"), tr("Images")}, QStringLiteral("fleetResults"), this);
    m_plot = new FiringErrorPlot(this);
    m_plot->setObjectName(QStringLiteral("fleetPlot"));
    split->addWidget(m_results);
    split->addWidget(m_plot);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    tabs->addTab(split, tr("Firing error"));
    layout->addWidget(tabs, 1);

    // Capture at now + lead.
    auto *captureRow = new QHBoxLayout;
    m_led = new QComboBox(this);
    m_led->setObjectName(QStringLiteral("fleetLed"));
    m_led->setMinimumHeight(kTouchPx);
    m_led->addItem(tr("No flash"), QString());
    for (const QString &l : leds)
        m_led->addItem(l, l);
    m_flashUs = new TouchSpinBox(this);
    m_flashUs->setObjectName(QStringLiteral("fleetFlashUs"));
    m_flashUs->setRange(1, 1'000'000);
    m_flashUs->setSuffix(QStringLiteral(" µs"));
    m_flashUs->setValue(2000);
    m_flashUs->setMinimumWidth(
        2 * TouchSpinBox::kTargetPx + fontMetrics().horizontalAdvance(QStringLiteral("1000000 µs")) + 24);
    m_flashUs->setToolTip(tr("Flash duration on each follower, from its rig's flash delay"));
    m_captureButton = new QPushButton(tr("Capture at now + lead"), this);
    m_captureButton->setObjectName(QStringLiteral("fleetCapture"));
    m_captureButton->setMinimumSize(3 * kTouchPx, kTouchPx);
    m_captureButton->setToolTip(tr("Every online follower fires its camera trigger at T = now + lead; the "
                                   "lead comes from round trips measured through the broker"));
    captureRow->addWidget(m_led);
    captureRow->addWidget(m_flashUs);
    captureRow->addWidget(m_captureButton);
    m_leadLabel = new QLabel(this);
    m_leadLabel->setObjectName(QStringLiteral("fleetLead"));
    m_leadLabel->setWordWrap(true);
    captureRow->addWidget(m_leadLabel, 1);
    layout->addLayout(captureRow);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0);
    m_progress->setVisible(false);
    layout->addWidget(m_progress);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("fleetMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);

    connect(m_connectButton, &QPushButton::clicked, this, &FleetPanel::connectToFleet);
    connect(m_refreshButton, &QPushButton::clicked, this, &FleetPanel::refreshFollowers);
    connect(m_captureButton, &QPushButton::clicked, this, &FleetPanel::captureNow);

    FleetController *c = m_controller.get();
    connect(c, &FleetController::connected, this, &FleetPanel::showConnected);
    connect(c, &FleetController::connectFailed, this,
        [this](const QString &e) { showMessage(tr("Could not connect: %1").arg(e), true); });
    connect(c, &FleetController::subscribeFailed, this,
        [this](const QString &e) { showMessage(tr("Could not subscribe: %1").arg(e), true); });
    connect(c, &FleetController::followersRead, this, [this](const FleetFollowers &followers) {
        showFollowers(followers);
        showMessage(tr("%1 of %2 follower(s) online.").arg(m_onlineCount).arg(followers.size()), false);
    });
    connect(c, &FleetController::capturing, this, [this](int followers, std::chrono::milliseconds lead) {
        setBusy(true, tr("Capturing on %1 follower(s) at now + %2 ms…").arg(followers).arg(lead.count()));
    });
    connect(c, &FleetController::captured, this,
        [this](const core::fleet::CaptureReport &report, const FleetFollowers &followers) {
            showFollowers(followers);
            showOutcome(report);
        });
    connect(c, &FleetController::noFollowerOnline, this, [this] {
        showMessage(tr("No follower is online: start 'scopesync follow' on the rigs, then Refresh."), true);
    });
    connect(c, &FleetController::captureFailed, this,
        [this](const QString &e) { showMessage(tr("Not sent: %1").arg(e), true); });
    connect(c, &FleetController::failed, this, [this](const QString &what) { showMessage(what, true); });
    connect(c, &FleetController::done, this, [this] { setBusy(false); });

    loadSettings();
    setBusy(false);
    if (!m_controller->canConnect()) {
        m_connectButton->setEnabled(false);
        showMessage(tr("This build cannot reach a fleet (no MQTT support)."), true);
    } else {
        showMessage(tr("Give the broker, the fleet's name and the leader's account, then Connect. The "
                       "followers run 'scopesync follow' (docs/fleet.md)."),
            false);
    }
}

FleetPanel::~FleetPanel()
{
    m_controller.reset();  // cancels a wait in progress: closing returns promptly
}

void FleetPanel::setLogin(const core::fleet::FleetLogin &login)
{
    m_broker->setText(login.broker);
    m_fleet->setText(login.fleet);
    m_user->setText(login.user);
    m_passwordFile->setText(login.passwordFile);
    m_caFile->setText(login.caFile);
}

core::fleet::FleetLogin FleetPanel::login() const
{
    core::fleet::FleetLogin l;
    l.broker = m_broker->text().trimmed();
    l.fleet = m_fleet->text().trimmed();
    l.user = m_user->text().trimmed();
    l.passwordFile = m_passwordFile->text().trimmed();
    l.caFile = m_caFile->text().trimmed();
    return l;
}

QString FleetPanel::message() const
{
    return m_message->text();
}

void FleetPanel::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("QLabel { color: #c62828; }") : QString());
}

void FleetPanel::setBusy(bool busy, const QString &activity)
{
    m_busy = busy;
    m_progress->setVisible(busy);
    m_progress->setFormat(activity);
    m_progress->setTextVisible(!activity.isEmpty());
    if (busy && !activity.isEmpty())
        showMessage(activity, false);
    m_connectButton->setEnabled(!busy && m_controller->canConnect());
    m_refreshButton->setEnabled(!busy && isConnected());
    m_captureButton->setEnabled(!busy && isConnected() && m_onlineCount > 0);
    Q_EMIT busyChanged(busy);
}

void FleetPanel::connectToFleet()
{
    const core::fleet::FleetLogin l = login();
    if (l.broker.isEmpty()) {
        showMessage(tr("Broker: give its address, e.g. mqtt://broker.lab:1883 (mqtts:// for TLS)."), true);
        m_broker->setFocus();
        return;
    }
    auto topics = core::fleet::FleetTopics::forFleet(l.fleet);
    if (!topics.ok()) {
        showMessage(tr("Fleet: %1").arg(topics.error().toString()), true);
        m_fleet->setFocus();
        return;
    }
    saveSettings();
    setBusy(true, tr("Connecting to %1…").arg(l.broker));
    m_controller->connectToFleet(l, topics.value());
}

void FleetPanel::showConnected(const core::fleet::FleetLogin &l, const FleetFollowers &followers)
{
    showFollowers(followers);
    showMessage(tr("Connected to %1 as %2; fleet %3: %4 of %5 follower(s) online.")
                    .arg(l.broker, l.user.isEmpty() ? tr("(no account)") : l.user, l.fleet)
                    .arg(m_onlineCount)
                    .arg(followers.size()),
        false);
}

void FleetPanel::refreshFollowers()
{
    if (!isConnected())
        return;
    setBusy(true, tr("Reading the followers' status…"));
    m_controller->refreshFollowers();
}

void FleetPanel::showFollowers(const FleetFollowers &followers)
{
    m_followers->setRowCount(0);
    m_onlineCount = 0;
    for (const auto &[name, f] : followers) {
        const int row = m_followers->rowCount();
        m_followers->insertRow(row);
        m_onlineCount += f.online ? 1 : 0;
        m_followers->setItem(row, 0, item(name));
        m_followers->setItem(row, 1, item(f.online ? tr("online") : tr("offline")));
        m_followers->setItem(row, 2, item(f.online ? ClockState::sourceName(f.clock.source) : QString()));
        m_followers->setItem(row, 3,
            item(f.online && f.clock.errorBound ? usText(*f.clock.errorBound) : QString(),
                Qt::AlignRight | Qt::AlignVCenter));
        m_followers->setItem(row, 4, item(f.online ? f.rig : QString()));
        if (f.online && !f.clock.detail.isEmpty())
            m_followers->item(row, 2)->setToolTip(f.clock.detail);
        if (!f.online)
            for (int c = 0; c < 2; ++c)
                m_followers->item(row, c)->setForeground(palette().color(QPalette::PlaceholderText));
    }
    m_followers->resizeColumnsToContents();
    Q_EMIT followersChanged();
}

void FleetPanel::captureNow()
{
    if (!isConnected())
        return;
    setBusy(true, tr("Measuring round trips through the broker…"));
    m_controller->capture(
        m_led->currentData().toString(), std::chrono::microseconds(qint64(m_flashUs->value())));
}

void FleetPanel::showOutcome(const core::fleet::CaptureReport &report)
{
    const core::fleet::LeadTimeChoice &lead = report.choice;
    const QStringList &targets = report.targets;
    const core::fleet::CommandOutcome &outcome = report.outcome;
    m_leadLabel->setText(tr("lead %1 ms (p99 round trip %2 ms over %3 samples%4)")
                             .arg(lead.lead.count())
                             .arg(static_cast<double>(lead.p99RoundTrip.count()) / 1e6, 0, 'f', 1)
                             .arg(lead.samples)
                             .arg(lead.floored ? tr(", the floor") : QString()));
    const core::fleet::FiringStatistics &stats = report.statistics;
    std::vector<FiringErrorPlot::Bar> bars;
    m_results->setRowCount(0);
    int failed = 0;
    for (const QString &f : targets) {
        const int row = m_results->rowCount();
        m_results->insertRow(row);
        m_results->setItem(row, 0, item(f));
        if (auto it = outcome.results.find(f); it != outcome.results.end()) {
            const auto &r = it->second;
            QString clock = ClockState::sourceName(r.clock.source);
            if (r.clock.errorBound)
                clock += QStringLiteral(" ±%1 µs").arg(usText(*r.clock.errorBound));
            m_results->setItem(row, 1,
                item(r.ok ? usText(r.firingError()) : tr("failed"), Qt::AlignRight | Qt::AlignVCenter));
            m_results->setItem(row, 2, item(clock));
            m_results->setItem(
                row, 3, item(r.ok ? tr("%1 in %2").arg(r.images.size()).arg(r.folder) : r.message));
            if (r.ok && !r.edges.empty()) {
                bars.push_back({f, static_cast<double>(r.firingError().count()) / 1000.0});
            } else {
                ++failed;
            }
        } else if (auto rf = outcome.refusals.find(f); rf != outcome.refusals.end()) {
            m_results->setItem(row, 1, item(tr("refused"), Qt::AlignRight | Qt::AlignVCenter));
            m_results->setItem(row, 3, item(rf->second.message));
            m_results->item(row, 1)->setToolTip(rf->second.message);
            ++failed;
        } else {
            m_results->setItem(row, 1, item(tr("no reply"), Qt::AlignRight | Qt::AlignVCenter));
            ++failed;
        }
    }
    m_results->resizeColumnsToContents();
    const auto summary = stats.summary();
    m_plot->setErrors(std::move(bars), summary);
    if (auto *tabs = findChild<QTabWidget *>(QStringLiteral("fleetTabs")))
        tabs->setCurrentIndex(1);
    const QString line
        = tr("%1: %2 of %3 follower(s) captured; firing error p50 %4 µs, p99 %5 µs, "
             "max |error| %6 µs, spread %7 µs.")
              .arg(report.command.id)
              .arg(stats.count())
              .arg(targets.size())
              .arg(usText(summary.p50), usText(summary.p99), usText(summary.absMax), usText(summary.spread));
    showMessage(failed > 0 ? line + QLatin1Char(' ') + tr("%1 did not: see the table.").arg(failed) : line,
        failed > 0);
    Q_EMIT resultsChanged();
}

void FleetPanel::saveSettings() const
{
    QSettings s;
    s.beginGroup(QStringLiteral("fleet"));
    const auto l = login();
    s.setValue(QStringLiteral("broker"), l.broker);
    s.setValue(QStringLiteral("fleet"), l.fleet);
    s.setValue(QStringLiteral("user"), l.user);
    s.setValue(QStringLiteral("passwordFile"), l.passwordFile);
    s.setValue(QStringLiteral("caFile"), l.caFile);
    s.setValue(QStringLiteral("led"), m_led->currentData());
    s.setValue(QStringLiteral("flashUs"), m_flashUs->value());
}

void FleetPanel::loadSettings()
{
    QSettings s;
    s.beginGroup(QStringLiteral("fleet"));
    core::fleet::FleetLogin l;
    l.broker = s.value(QStringLiteral("broker")).toString();
    l.fleet = s.value(QStringLiteral("fleet")).toString();
    l.user = s.value(QStringLiteral("user"), QStringLiteral("leader")).toString();
    l.passwordFile = s.value(QStringLiteral("passwordFile")).toString();
    l.caFile = s.value(QStringLiteral("caFile")).toString();
    setLogin(l);
    if (const int i = m_led->findData(s.value(QStringLiteral("led")).toString()); i >= 0)
        m_led->setCurrentIndex(i);
    m_flashUs->setValue(s.value(QStringLiteral("flashUs"), 2000).toDouble());
}

}  // namespace scopesync::ui
