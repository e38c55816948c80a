// RunPanel: start, pause and stop a protocol run; progress with ETA, the current step and thumbnails.
#include "ui/run/run_panel.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScroller>
#include <QVBoxLayout>

#include <climits>

namespace scopesync::ui {

RunPanel::RunPanel(QWidget *parent) : QWidget(parent)
{
    auto *column = new QVBoxLayout(this);
    m_protocol = new QLabel(this);
    m_protocol->setWordWrap(true);
    column->addWidget(m_protocol);

    auto *buttons = new QHBoxLayout;
    m_start = new QPushButton(tr("Start"), this);
    m_pause = new QPushButton(tr("Pause"), this);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Hold the run before its next step; press again to continue"));
    m_stop = new QPushButton(tr("Stop"), this);
    for (auto *b : {m_start, m_pause, m_stop}) {
        b->setMinimumHeight(48);
        buttons->addWidget(b);
    }
    column->addLayout(buttons);

    m_progress = new QProgressBar(this);
    m_progress->setMinimumHeight(32);
    m_progress->setFormat(tr("Not started"));
    m_progress->setValue(0);
    column->addWidget(m_progress);
    m_eta = new QLabel(this);
    m_step = new QLabel(this);
    m_step->setWordWrap(true);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(m_eta);
    column->addWidget(m_step);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setMinimumHeight(150);
    scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    QScroller::grabGesture(scroll->viewport(), QScroller::LeftMouseButtonGesture);
    m_thumbRow = new QWidget(scroll);
    m_thumbLayout = new QHBoxLayout(m_thumbRow);
    m_thumbLayout->addStretch(1);
    scroll->setWidget(m_thumbRow);
    column->addWidget(scroll);
    column->addWidget(m_result);
    column->addStretch(1);

    connect(m_start, &QPushButton::clicked, this, &RunPanel::startRequested);
    connect(m_pause, &QPushButton::toggled, this, &RunPanel::pauseToggled);
    connect(m_stop, &QPushButton::clicked, this, &RunPanel::stopRequested);
    setRunning(false);
}

QString RunPanel::clock(double seconds)
{
    const auto s = qint64(std::max(0.0, seconds));
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

void RunPanel::setProtocolName(const QString &name)
{
    m_protocol->setText(name.isEmpty() ? tr("No protocol loaded") : tr("Protocol: %1").arg(name));
}

void RunPanel::setRunning(bool running)
{
    m_start->setEnabled(!running);
    m_pause->setEnabled(running);
    m_stop->setEnabled(running);
    if (!running) {
        const QSignalBlocker block(m_pause);
        m_pause->setChecked(false);
        m_pause->setText(tr("Pause"));
    }
}

void RunPanel::onStarted(const QString &folder)
{
    setRunning(true);
    m_updates = 0;
    m_progress->setFormat(tr("%v / %m images"));
    m_progress->setValue(0);
    m_result->setText(tr("Saving into %1").arg(folder));
    for (auto *l : std::as_const(m_thumbs))
        l->parentWidget()->deleteLater();
    m_thumbs.clear();
}

void RunPanel::onProgress(const core::acquisition::RunProgress &p)
{
    ++m_updates;
    m_progress->setMaximum(int(std::min<qint64>(p.framesTotal, INT_MAX)));
    m_progress->setValue(int(std::min<qint64>(p.framesDone, INT_MAX)));
    m_eta->setText(tr("Elapsed %1 · about %2 left").arg(clock(p.elapsedSeconds), clock(p.remainingSeconds)));
    m_step->setText(tr("%1: %2 (%3)").arg(p.activity, p.label, p.stepPath));
    if (p.stepPath != m_lastStep) {
        m_lastStep = p.stepPath;
        Q_EMIT stepChanged(p.stepPath);
    }
}

void RunPanel::onPaused(bool paused)
{
    m_pause->setText(paused ? tr("Continue") : tr("Pause"));
    if (paused)
        m_step->setText(tr("Paused before: %1").arg(m_step->text()));
}

void RunPanel::onThumbnail(const QString &channel, const QString &label, const QImage &image)
{
    QLabel *picture = m_thumbs.value(channel);
    if (!picture) {
        auto *tile = new QWidget(m_thumbRow);
        auto *tileLayout = new QVBoxLayout(tile);
        tileLayout->setContentsMargins(2, 2, 2, 2);
        picture = new QLabel(tile);
        picture->setObjectName(QStringLiteral("thumbnail"));
        picture->setFixedSize(160, 120);
        picture->setAlignment(Qt::AlignCenter);
        auto *caption = new QLabel(tile);
        caption->setObjectName(QStringLiteral("caption"));
        caption->setAlignment(Qt::AlignCenter);
        tileLayout->addWidget(picture);
        tileLayout->addWidget(caption);
        m_thumbLayout->insertWidget(m_thumbLayout->count() - 1, tile);
        m_thumbs.insert(channel, picture);
    }
    picture->setPixmap(QPixmap::fromImage(image));
    if (auto *caption = picture->parentWidget()->findChild<QLabel *>(QStringLiteral("caption")))
        caption->setText(QStringLiteral("%1 · %2").arg(channel, label));
}

void RunPanel::onFinished(const core::acquisition::RunOutcome &outcome, const QString &folder)
{
    setRunning(false);
    Q_EMIT stepChanged(QString());
    m_lastStep.clear();
    if (outcome.completed)
        m_result->setText(tr("Completed: %1 images in %2").arg(outcome.imagesSaved).arg(folder));
    else
        m_result->setText(tr("Stopped: %1. Kept %2 of %3 images in %4.")
                              .arg(outcome.stopReason)
                              .arg(outcome.imagesSaved)
                              .arg(outcome.framesPlanned)
                              .arg(folder.isEmpty() ? tr("(no folder was created)") : folder));
}

}  // namespace scopesync::ui
