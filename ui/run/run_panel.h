// RunPanel: start, pause and stop a protocol run; progress with ETA, the current step and thumbnails.
#pragma once

#include "core/acquisition/protocol_run.h"

#include <QImage>
#include <QMap>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;

namespace scopesync::ui {

class RunPanel : public QWidget {
    Q_OBJECT

public:
    explicit RunPanel(QWidget *parent = nullptr);

    void setProtocolName(const QString &name);
    void onStarted(const QString &folder);
    void onProgress(const core::acquisition::RunProgress &progress);
    void onPaused(bool paused);
    void onThumbnail(const QString &channel, const QString &label, const QImage &image);
    void onFinished(const core::acquisition::RunOutcome &outcome, const QString &folder);

    [[nodiscard]] QPushButton *startButton() const { return m_start; }
    [[nodiscard]] QPushButton *pauseButton() const { return m_pause; }
    [[nodiscard]] QPushButton *stopButton() const { return m_stop; }
    [[nodiscard]] QProgressBar *progressBar() const { return m_progress; }
    [[nodiscard]] QLabel *etaLabel() const { return m_eta; }
    [[nodiscard]] QLabel *stepLabel() const { return m_step; }
    [[nodiscard]] QLabel *resultLabel() const { return m_result; }
    // Channel → its thumbnail label.
    [[nodiscard]] const QMap<QString, QLabel *> &thumbnails() const { return m_thumbs; }
    [[nodiscard]] int progressUpdates() const { return m_updates; }

    static QString clock(double seconds);

Q_SIGNALS:
    void startRequested();
    void pauseToggled(bool paused);
    void stopRequested();
    // The step the run is executing (a PlanAction step path), for the protocol editor's highlight.
    void stepChanged(const QString &stepPath);

private:
    void setRunning(bool running);

    QLabel *m_protocol = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_stop = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_eta = nullptr;
    QLabel *m_step = nullptr;
    QLabel *m_result = nullptr;
    QWidget *m_thumbRow = nullptr;
    QHBoxLayout *m_thumbLayout = nullptr;
    QMap<QString, QLabel *> m_thumbs;
    QString m_lastStep;
    int m_updates = 0;
};

}  // namespace scopesync::ui
