// PreviewPanel: the live preview with its levels, histogram, colour and zoom controls and pixel readout.
#include "ui/preview/preview_panel.h"

#include "ui/common/frame_mailbox.h"
#include "ui/common/touch_spin_box.h"
#include "ui/preview/histogram_widget.h"
#include "ui/preview/level_lut.h"
#include "ui/preview/preview_widget.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace scopesync::ui {

PreviewPanel::PreviewPanel(FrameMailbox &mailbox, QWidget *parent) : QWidget(parent), m_mailbox(mailbox)
{
    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(4);
    m_preview = new PreviewWidget(this);
    m_preview->setObjectName(QStringLiteral("preview"));
    column->addWidget(m_preview, 1);

    // Two rows, so the panel still fits beside the docks on an 800 px screen.
    auto *histRow = new QHBoxLayout;
    m_histogram = new HistogramWidget(this);
    m_readout = new QLabel(tr("Tap the image for a pixel value"), this);
    m_readout->setMinimumWidth(120);
    m_readout->setWordWrap(true);
    histRow->addWidget(m_histogram, 1);
    histRow->addWidget(m_readout);
    column->addLayout(histRow);

    auto *controls = new QHBoxLayout;
    controls->setSpacing(4);
    m_black = new TouchSpinBox(this);
    m_black->setRange(0, LevelLut::kLevels - 2);
    m_black->setSingleStep(16);
    m_black->setPrefix(tr("B "));
    m_black->setToolTip(tr("Black level (12-bit)"));
    m_white = new TouchSpinBox(this);
    m_white->setRange(1, LevelLut::kLevels - 1);
    m_white->setSingleStep(16);
    m_white->setPrefix(tr("W "));
    m_white->setToolTip(tr("White level (12-bit)"));
    const auto button = [this](const QString &text, const QString &tip, bool checkable) {
        auto *b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setCheckable(checkable);
        b->setMinimumSize(48, 48);
        return b;
    };
    m_auto = button(tr("Auto"), tr("Set black and white from the histogram (0.1 % and 99.9 %)"), false);
    m_falseColour = button(tr("Colour"), tr("False-colour palette"), true);
    m_over = button(tr("Clip"), tr("Mark overexposed pixels in red"), true);
    m_over->setChecked(true);
    m_fit = button(tr("Fit"), tr("Zoom to fit (double-tap the image to zoom in)"), false);
    controls->addWidget(m_black, 1);
    controls->addWidget(m_white, 1);
    controls->addWidget(m_falseColour);
    controls->addWidget(m_over);
    histRow->insertWidget(1, m_auto);
    histRow->insertWidget(2, m_fit);
    column->addLayout(controls);

    m_black->setValue(0);
    m_white->setValue(LevelLut::kLevels - 1);
    connect(m_black, &TouchSpinBox::valueChanged, this,
        [this](double v) { setLevels(int(v), std::max(int(v) + 1, int(m_white->value()))); });
    connect(m_white, &TouchSpinBox::valueChanged, this,
        [this](double v) { setLevels(std::min(int(m_black->value()), int(v) - 1), int(v)); });
    connect(m_histogram, &HistogramWidget::levelsEdited, this, &PreviewPanel::setLevels);
    connect(m_auto, &QToolButton::clicked, this, &PreviewPanel::autoLevels);
    connect(m_falseColour, &QToolButton::toggled, m_preview, &PreviewWidget::setFalseColour);
    connect(m_over, &QToolButton::toggled, m_preview, &PreviewWidget::setMarkOverexposed);
    connect(m_fit, &QToolButton::clicked, m_preview, &PreviewWidget::fit);
    connect(m_preview, &PreviewWidget::readoutChanged, m_readout, &QLabel::setText);
}

void PreviewPanel::takeFrame()
{
    auto frame = m_mailbox.take();
    if (!frame)
        return;
    m_histogram->setHistogram(frame->histogram);
    m_preview->setFrame(std::move(frame));
    if (m_autoPending) {
        m_autoPending = false;
        autoLevels();
    }
}

void PreviewPanel::setLevels(int black, int white)
{
    const QSignalBlocker b1(m_black);
    const QSignalBlocker b2(m_white);
    m_preview->setLevels(black, white);
    const auto &lut = m_preview->lut();
    m_black->setValue(lut.black());
    m_white->setValue(lut.white());
    m_histogram->setLevels(lut.black(), lut.white());
}

void PreviewPanel::autoLevels()
{
    if (!m_preview->frame())
        return;
    const auto [black, white] = LevelLut::autoLevels(m_preview->frame()->histogram);
    setLevels(black, white);
}

}  // namespace scopesync::ui
