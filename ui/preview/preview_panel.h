// PreviewPanel: the live preview with its levels, histogram, colour and zoom controls and pixel readout.
#pragma once

#include <QWidget>

class QLabel;
class QToolButton;

namespace scopesync::ui {

class FrameMailbox;
class HistogramWidget;
class PreviewWidget;
class TouchSpinBox;

class PreviewPanel : public QWidget {
    Q_OBJECT

public:
    explicit PreviewPanel(FrameMailbox &mailbox, QWidget *parent = nullptr);

    // Takes the newest frame from the mailbox (called when the worker signals one is waiting).
    void takeFrame();
    void setLevels(int black, int white);
    void autoLevels();

    [[nodiscard]] PreviewWidget *preview() const { return m_preview; }
    [[nodiscard]] HistogramWidget *histogram() const { return m_histogram; }
    [[nodiscard]] TouchSpinBox *blackBox() const { return m_black; }
    [[nodiscard]] TouchSpinBox *whiteBox() const { return m_white; }
    [[nodiscard]] QToolButton *autoButton() const { return m_auto; }
    [[nodiscard]] QToolButton *falseColourButton() const { return m_falseColour; }
    [[nodiscard]] QToolButton *overexposureButton() const { return m_over; }
    [[nodiscard]] QToolButton *fitButton() const { return m_fit; }
    [[nodiscard]] QLabel *readoutLabel() const { return m_readout; }

private:
    FrameMailbox &m_mailbox;
    PreviewWidget *m_preview = nullptr;
    HistogramWidget *m_histogram = nullptr;
    TouchSpinBox *m_black = nullptr;
    TouchSpinBox *m_white = nullptr;
    QToolButton *m_auto = nullptr;
    QToolButton *m_falseColour = nullptr;
    QToolButton *m_over = nullptr;
    QToolButton *m_fit = nullptr;
    QLabel *m_readout = nullptr;
    bool m_autoPending = true;  // the first frame sets levels automatically
};

}  // namespace scopesync::ui
