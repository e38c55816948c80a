// HistogramWidget: the live 12-bit histogram (log counts) with the black and white levels, draggable.
#pragma once

#include "ui/preview/preview_frame.h"

#include <QWidget>

#include <array>

namespace scopesync::ui {

class HistogramWidget : public QWidget {
    Q_OBJECT

public:
    explicit HistogramWidget(QWidget *parent = nullptr);

    void setHistogram(const std::array<quint32, PreviewFrame::kLevels> &histogram);
    void setLevels(int black, int white);
    [[nodiscard]] QSize sizeHint() const override { return {240, 48}; }

Q_SIGNALS:
    // The user dragged a level marker (finger or mouse): the nearer marker follows.
    void levelsEdited(int black, int white);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    [[nodiscard]] int valueAt(double x) const;
    void drag(double x, bool choose);

    std::array<quint32, PreviewFrame::kLevels> m_histogram {};
    int m_black = 0;
    int m_white = PreviewFrame::kLevels - 1;
    bool m_draggingBlack = true;
};

}  // namespace scopesync::ui
