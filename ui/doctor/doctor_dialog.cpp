// DoctorDialog: the rig doctor's findings for this machine — status, what was found and the exact fix to
// copy — checked off the GUI thread; it shows fixes and never applies them.
#include "ui/doctor/doctor_dialog.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScroller>
#include <QTimer>
#include <QVBoxLayout>

#include <exception>

namespace scopesync::ui {

using namespace std::chrono_literals;
using core::acquisition::CheckStatus;
using core::acquisition::RigCheck;

namespace {
constexpr int kTouchPx = 48;
// The touchscreen's 800×480 less a title bar; a desktop gets kDesktop.
constexpr QSize kCompact {780, 440};
constexpr QSize kDesktop {860, 680};

// Background and text colour of a status badge; the badge's word says the same.
QString badgeStyle(CheckStatus status)
{
    const auto style = [](const char *background, const char *text) {
        return QStringLiteral("QLabel { background: %1; color: %2; font-weight: bold; border-radius: 4px; "
                              "padding: 4px 8px; }")
            .arg(QLatin1String(background), QLatin1String(text));
    };
    switch (status) {
    case CheckStatus::Ok: return style("#2e7d32", "white");
    case CheckStatus::Warning: return style("#f9a825", "black");
    case CheckStatus::Problem: return style("#c62828", "white");
    case CheckStatus::Skipped: return style("#757575", "white");
    }
    return {};
}

QLabel *wrappedLabel(const QString &text, const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(objectName);
    // Plain: findings quote paths and commands, never markup.
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    return label;
}
}  // namespace

DoctorDialog::DoctorDialog(DoctorFn doctor, QWidget *parent) : QDialog(parent), m_doctor(std::move(doctor))
{
    setObjectName(QStringLiteral("doctorDialog"));
    setWindowTitle(tr("Rig doctor"));
    auto *column = new QVBoxLayout(this);

    column->addWidget(
        wrappedLabel(tr("Checks this machine against the rig: camera, sensor trigger mode, "
                        "kernel command line, GPIO, groups, real-time scheduling and free disk. "
                        "Nothing is changed: each problem shows the command or file edit that "
                        "fixes it."),
            QStringLiteral("intro"), this));
    m_rig = wrappedLabel(QString(), QStringLiteral("rig"), this);
    m_rig->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_rig->hide();
    column->addWidget(m_rig);

    auto *stateRow = new QHBoxLayout;
    m_state = wrappedLabel(QString(), QStringLiteral("doctorState"), this);
    QFont bold = m_state->font();
    bold.setBold(true);
    m_state->setFont(bold);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);  // busy: how long libcamera takes to answer is unknown
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(160);
    stateRow->addWidget(m_state, 1);
    stateRow->addWidget(m_busy);
    column->addLayout(stateRow);

    auto *area = new QScrollArea(this);
    area->setObjectName(QStringLiteral("doctorScroll"));
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    // Rows wrap to the width instead: nothing hides beside the screen.
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list = new QWidget(area);
    m_rows = new QVBoxLayout(m_list);
    m_rows->setContentsMargins(0, 0, 0, 0);
    m_rows->addStretch(1);
    area->setWidget(m_list);
    // Kinetic scrolling: a finger drags the list; taps still reach the Copy buttons.
    QScroller::grabGesture(area->viewport(), QScroller::LeftMouseButtonGesture);
    column->addWidget(area, 1);

    auto *buttons = new QHBoxLayout;
    m_again = new QPushButton(tr("Check again"), this);
    m_again->setObjectName(QStringLiteral("checkAgain"));
    m_close = new QPushButton(tr("Close"), this);
    m_close->setObjectName(QStringLiteral("close"));
    for (auto *b : {m_again, m_close})
        b->setMinimumSize(2 * kTouchPx, kTouchPx);
    m_close->setDefault(true);
    buttons->addWidget(m_again);
    buttons->addStretch(1);
    buttons->addWidget(m_close);
    column->addLayout(buttons);
    connect(m_again, &QPushButton::clicked, this, &DoctorDialog::runChecks);
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);

    const QSize avail = screen() ? screen()->availableSize() : kCompact;
    const bool small = avail.width() < kDesktop.width() + 100 || avail.height() < kDesktop.height() + 100;
    resize((small ? kCompact : kDesktop).boundedTo(avail));
    runChecks();
}

DoctorDialog::~DoctorDialog()
{
    // The job owns copies of what it reads. Waiting a little keeps a check from running on past the
    // application's exit, without hanging the window on a probe that never returns.
    m_worker.stop(3000ms);
}

void DoctorDialog::setRigSummary(const QString &summary)
{
    m_rig->setText(tr("Rig: %1").arg(summary));
    m_rig->setVisible(!summary.isEmpty());
}

QWidget *DoctorDialog::row(const QString &id) const
{
    return m_list->findChild<QWidget *>(QStringLiteral("check_") + id, Qt::FindDirectChildrenOnly);
}

QSize DoctorDialog::sizeHint() const
{
    return QDialog::sizeHint().boundedTo(kCompact).expandedTo(minimumSizeHint());
}

QString DoctorDialog::statusText(CheckStatus status)
{
    switch (status) {
    case CheckStatus::Ok: return tr("OK");
    case CheckStatus::Warning: return tr("Warning");
    case CheckStatus::Problem: return tr("Problem");
    case CheckStatus::Skipped: return tr("Skipped");
    }
    return {};
}

void DoctorDialog::runChecks()
{
    if (m_checking)
        return;
    // The rows always show one run's findings: the old ones go before the new ones are asked for.
    while (m_rows->count() > 1) {
        QLayoutItem *item = m_rows->takeAt(0);
        delete item->widget();
        delete item;
    }
    m_checks.clear();
    if (!m_doctor) {
        m_state->setText(tr("The rig doctor is not available here; run 'scopesync doctor' in a terminal."));
        m_busy->hide();
        m_again->setEnabled(false);
        return;
    }
    m_checking = true;
    m_state->setText(tr("Checking…"));
    m_busy->show();
    m_again->setEnabled(false);

    // Only the returned function uses `this`, and it runs on the GUI thread while the dialog lives.
    m_worker.post([this, doctor = m_doctor]() -> std::function<void()> {
        QList<RigCheck> checks;
        bool failed = false;
        QString why;
        // Exceptions stay on this side of the thread boundary.
        try {
            checks = doctor();
        } catch (const std::exception &e) {
            failed = true;
            why = QString::fromLocal8Bit(e.what());
        } catch (...) {
            failed = true;
        }
        return [this, checks, failed, why] { showChecks(checks, failed, why); };
    });
}

void DoctorDialog::showChecks(const QList<RigCheck> &checks, bool failed, const QString &why)
{
    m_checking = false;
    m_busy->hide();
    m_again->setEnabled(true);
    m_checks = checks;

    // Every badge as wide as the widest word, so the titles line up.
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics metrics(bold);
    int statusWidth = 0;
    for (CheckStatus s : {CheckStatus::Ok, CheckStatus::Warning, CheckStatus::Problem, CheckStatus::Skipped})
        statusWidth = std::max(statusWidth, metrics.horizontalAdvance(statusText(s)) + 24);
    int problems = 0;
    int warnings = 0;
    for (const RigCheck &c : checks) {
        QWidget *row = makeRow(c, statusWidth);
        m_rows->insertWidget(m_rows->count() - 1, row);
        row->show();  // now, not on the layout's queued show: the state label already says "done"
        problems += c.status == CheckStatus::Problem ? 1 : 0;
        warnings += c.status == CheckStatus::Warning ? 1 : 0;
    }

    if (failed)
        m_state->setText(tr("The checks could not run: %1")
                             .arg(why.isEmpty() ? tr("the doctor stopped with an error") : why));
    else if (problems > 0)
        m_state->setText(
            tr("Problems: %1, warnings: %2. Each problem shows its fix.").arg(problems).arg(warnings));
    else if (warnings > 0)
        m_state->setText(tr("No problems; warnings: %1.").arg(warnings));
    else
        m_state->setText(tr("No problems found."));
    Q_EMIT checksFinished();
}

QWidget *DoctorDialog::makeRow(const RigCheck &check, int statusWidth)
{
    auto *row = new QFrame(m_list);
    row->setObjectName(QStringLiteral("check_") + check.id);
    row->setFrameShape(QFrame::StyledPanel);
    row->setAccessibleName(QStringLiteral("%1: %2").arg(statusText(check.status), check.title));
    auto *line = new QHBoxLayout(row);

    auto *status = new QLabel(statusText(check.status), row);
    status->setObjectName(QStringLiteral("status"));
    status->setAlignment(Qt::AlignCenter);
    status->setStyleSheet(badgeStyle(check.status));
    status->setMinimumWidth(statusWidth);
    status->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    line->addWidget(status, 0, Qt::AlignTop);

    auto *text = new QVBoxLayout;
    line->addLayout(text, 1);
    auto *title = wrappedLabel(check.title, QStringLiteral("title"), row);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    text->addWidget(title);
    auto *detail = wrappedLabel(check.detail, QStringLiteral("detail"), row);
    detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text->addWidget(detail);

    if (!check.fix.isEmpty()) {
        text->addWidget(wrappedLabel(tr("Fix:"), QStringLiteral("fixCaption"), row));
        auto *fixLine = new QHBoxLayout;
        auto *fix = wrappedLabel(check.fix, QStringLiteral("fix"), row);
        fix->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        fix->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        fix->setFrameShape(QFrame::StyledPanel);
        fix->setStyleSheet(QStringLiteral("QLabel { background: #f4f4f4; color: black; padding: 6px; }"));
        fixLine->addWidget(fix, 1);
        auto *copy = new QPushButton(tr("Copy"), row);
        copy->setObjectName(QStringLiteral("copy"));
        copy->setMinimumSize(2 * kTouchPx, kTouchPx);
        fixLine->addWidget(copy, 0, Qt::AlignTop);
        text->addLayout(fixLine);
        connect(copy, &QPushButton::clicked, copy, [copy, command = check.fix] {
            QGuiApplication::clipboard()->setText(command);
            // Said on the button itself, where the finger is.
            copy->setText(tr("Copied"));
            QTimer::singleShot(2000, copy, [copy] { copy->setText(tr("Copy")); });
        });
    }
    return row;
}

}  // namespace scopesync::ui
