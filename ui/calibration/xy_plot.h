// XyPlot: a small scatter-and-line plot for the set-up wizard — a score against position, or a temperature
// against time — with an optional marked x (the position found). Tapping a point shows its values (no
// hover-only information on a touchscreen).
#pragma once

#include <QColor>
#include <QPointF>
#include <QString>
#include <QVector>
#include <QWidget>

#include <optional>

namespace scopesync::ui {

class XyPlot : public QWidget {
    Q_OBJECT

public:
    explicit XyPlot(QWidget *parent = nullptr);

    // Series 0 is drawn with dots, the others as lines (a prediction beside the measurement).
    void setSeries(int index, const QVector<QPointF> &points, const QColor &color, const QString &label);
    void addPoint(int index, QPointF point);
    void clear();
    void setMarker(std::optional<double> x, const QString &label = {});
    void setAxisLabels(const QString &x, const QString &y);
    [[nodiscard]] int pointCount(int index) const;
    [[nodiscard]] std::optional<double> marker() const { return m_marker; }
    [[nodiscard]] QSize minimumSizeHint() const override { return {240, 110}; }
    [[nodiscard]] QSize sizeHint() const override { return {320, 140}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    struct Series {
        QVector<QPointF> points;
        QColor color;
        QString label;
    };
    [[nodiscard]] QRectF plotArea() const;
    [[nodiscard]] QRectF dataBounds() const;
    [[nodiscard]] QPointF toScreen(QPointF p, const QRectF &area, const QRectF &bounds) const;

    QVector<Series> m_series;
    std::optional<double> m_marker;
    QString m_markerLabel;
    QString m_xLabel;
    QString m_yLabel;
    std::optional<QPointF> m_selected;
};

}  // namespace scopesync::ui
