// TouchSpinBox: a number field with finger-sized − and + buttons either side (48 px targets).
#pragma once

#include <QWidget>

class QDoubleSpinBox;
class QToolButton;

namespace scopesync::ui {

class TouchSpinBox : public QWidget {
    Q_OBJECT

public:
    static constexpr int kTargetPx = 48;

    explicit TouchSpinBox(QWidget *parent = nullptr);

    void setRange(double min, double max);
    void setDecimals(int decimals);
    void setSingleStep(double step);
    void setSuffix(const QString &suffix);
    void setPrefix(const QString &prefix);
    void setValue(double value);
    [[nodiscard]] double value() const;
    [[nodiscard]] double maximum() const;
    [[nodiscard]] QDoubleSpinBox *spinBox() const { return m_spin; }
    [[nodiscard]] QToolButton *minusButton() const { return m_minus; }
    [[nodiscard]] QToolButton *plusButton() const { return m_plus; }

Q_SIGNALS:
    void valueChanged(double value);

private:
    QDoubleSpinBox *m_spin = nullptr;
    QToolButton *m_minus = nullptr;
    QToolButton *m_plus = nullptr;
};

}  // namespace scopesync::ui
