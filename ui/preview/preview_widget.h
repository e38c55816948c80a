// PreviewWidget: paints the live 12-bit preview with levels, false colour, overexposure, zoom and pan.
#pragma once

#include "ui/preview/level_lut.h"
#include "ui/preview/preview_frame.h"

#include <QImage>
#include <QWidget>

#include <memory>
#include <optional>

class QGestureEvent;

namespace scopesync::ui {

// Painted with QPainter from a QImage made through a 4096-entry LUT: window/level, false colour and
// saturation marks need the 12-bit values, which a video sink's 8-bit or linear 16-bit paths lose.
class PreviewWidget : public QWidget {
    Q_OBJECT

public:
    struct Readout {
        int x = 0;  // sensor pixel
        int y = 0;
        int value = 0;  // as captured
    };

    explicit PreviewWidget(QWidget *parent = nullptr);

    void setFrame(std::shared_ptr<const PreviewFrame> frame);
    [[nodiscard]] const std::shared_ptr<const PreviewFrame> &frame() const { return m_frame; }
    void setLevels(int black, int white);
    void setFalseColour(bool on);
    void setMarkOverexposed(bool on);
    [[nodiscard]] const LevelLut &lut() const { return m_lut; }

    // 1 = the whole frame fits the widget; larger zooms in around the view centre.
    [[nodiscard]] double zoom() const { return m_zoom; }
    void setZoom(double zoom, std::optional<QPointF> anchor = std::nullopt);
    void fit();
    void panBy(QPointF widgetDelta);
    // The rendered frame (levels applied), for tests: at fit (zoom 1) at the device pixels it covers on
    // screen, else at the display image's size.
    [[nodiscard]] const QImage &rendered() const { return m_rendered; }
    [[nodiscard]] std::optional<Readout> readoutAt(QPointF widgetPos) const;
    [[nodiscard]] qint64 framesShown() const { return m_framesShown; }
    // What the widget shows a frame at: its size in device pixels and the zoom.
    [[nodiscard]] PreviewView view() const;

Q_SIGNALS:
    void readoutChanged(const QString &text);
    void zoomChanged(double zoom);
    // Size or zoom changed: frames may be binned for the new view (view()).
    void viewChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    void rerender();
    void report(QPointF pos);
    void gesture(QGestureEvent *event);
    [[nodiscard]] QRectF imageRect() const;  // where the display image lands, in widget coordinates

    std::shared_ptr<const PreviewFrame> m_frame;
    LevelLut m_lut;
    bool m_markOverexposed = true;
    QImage m_rendered;
    QSize m_displaySize;  // of the frame's display image: what imageRect() fits and zooms
    bool m_renderedFitted = false;  // m_rendered is at imageRect()'s device size: painted without scaling
    double m_zoom = 1.0;
    QPointF m_centre {0.5, 0.5};  // view centre as a fraction of the image
    std::optional<QPointF> m_dragFrom;
    double m_pinchStartZoom = 1.0;
    qint64 m_framesShown = 0;
};

}  // namespace scopesync::ui
