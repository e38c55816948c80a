// GUI tests of the timing view: geometry against the exposure model, zoom and pan, readouts, batched
// repaints.
#include "core/timing/exposure_model.h"
#include "core/timing/sensor_catalog.h"
#include "ui/timing_view/timing_view.h"

#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

#include <thread>

using namespace scopesync;
using namespace std::chrono_literals;
using core::acquisition::DrivenEdge;
using core::acquisition::LedPulse;
using core::acquisition::MonoTime;
using ui::TimingView;

namespace {

// Counts paint events without any hook in the widget.
class PaintCounter : public QObject {
public:
    int paints = 0;
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++paints;
        return false;
    }
};

const core::timing::SensorMode &imx477Full()
{
    static const core::timing::SensorMode mode
        = *core::timing::SensorCatalog::find(QStringLiteral("imx477"))->findMode(4056, 3040);
    return mode;
}

// The reference rig: IMX477 full resolution, shutter 250 ms, red 50 ms and blue 150 ms flashes at 90 ms.
void setReference(TimingView &view)
{
    view.setModel(imx477Full(), core::timing::ShutterType::Rolling, 250ms, 90ms,
        {LedPulse {QStringLiteral("red"), 0us, 50ms, 1000},
            LedPulse {QStringLiteral("blue"), 0us, 150ms, 1000}});
}

std::vector<DrivenEdge> redPulse(
    MonoTime trigger, std::chrono::microseconds on, std::chrono::microseconds off)
{
    return {{QStringLiteral("red"), true, trigger + 90ms, trigger + on, trigger + on},
        {QStringLiteral("red"), false, trigger + 140ms, trigger + off, trigger + off}};
}

}  // namespace

class TestTimingView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void windowShadingSpansTheModelsValidWindow()
    {
        TimingView view;
        view.resize(800, 400);
        setReference(view);
        const core::timing::ExposureModel model(core::timing::ShutterType::Rolling, imx477Full(), 250ms);
        const auto w = model.validWindow(150ms);  // the strictest flash decides
        QVERIFY(w.feasible);
        QVERIFY(std::abs(w.start.count() - 86'800) < 100);  // DOMAIN.md: ≈86.8 ms readout
        QCOMPARE(w.end.count(), 100'000.0);
        const QRectF shade = view.validWindowRect();
        QVERIFY(std::abs(shade.left() - view.xForTime(w.start)) < 0.01);
        QVERIFY(std::abs(shade.right() - view.xForTime(100ms)) < 0.01);
        QCOMPARE(shade.top(), view.rowsRect().top());
        QCOMPARE(shade.bottom(), view.rowsRect().bottom());
        QVERIFY(shade.width() > 10);  // visible at the default fit

        // The rolling-shutter parallelogram: row 0 from 0 to 250 ms, the last row readout later.
        const QPolygonF poly = view.exposurePolygon();
        QCOMPARE(poly.size(), 4);
        QVERIFY(std::abs(poly[0].x() - view.xForTime(0ms)) < 0.01);
        QVERIFY(std::abs(poly[1].x() - view.xForTime(250ms)) < 0.01);
        QVERIFY(std::abs(poly[2].x() - view.xForTime(model.rowWindow(3039).end)) < 0.01);
        QVERIFY(std::abs(poly[3].x() - view.xForTime(model.readout())) < 0.01);
        QVERIFY(poly[3].x() > poly[0].x() + 10);

        // And it is what is painted: in the middle rows, inside the exposure, only the window is shaded.
        const QImage image = view.grab().toImage();
        const double scale = image.width() / double(view.width());
        const int y = int(view.rowsRect().center().y() * scale);
        const auto px
            = [&](std::chrono::microseconds t) { return image.pixelColor(int(view.xForTime(t) * scale), y); };
        QCOMPARE(px(60ms), px(80ms));
        QVERIFY(px(93ms) != px(80ms));
        QCOMPARE(view.laneNames(),
            (QStringList {QStringLiteral("trigger"), QStringLiteral("red"), QStringLiteral("blue")}));
    }

    void globalShutterIsABlock()
    {
        TimingView view;
        view.resize(800, 400);
        const auto *imx296 = core::timing::SensorCatalog::find(QStringLiteral("imx296"));
        QVERIFY(imx296);
        view.setModel(imx296->modes.first(), core::timing::ShutterType::Global, 20ms, 2ms,
            {LedPulse {QStringLiteral("green"), 0us, 10ms, 1000}});
        const QPolygonF poly = view.exposurePolygon();
        QCOMPARE(poly[0].x(), poly[3].x());
        QCOMPARE(poly[1].x(), poly[2].x());
        QVERIFY(std::abs(view.validWindowRect().left() - view.xForTime(0ms)) < 0.01);
        QVERIFY(std::abs(view.validWindowRect().right() - view.xForTime(10ms)) < 0.01);
    }

    void wheelZoomKeepsThePointUnderTheCursor()
    {
        TimingView view;
        view.resize(800, 400);
        setReference(view);
        const double x = 300.0;
        const double before = view.scale().timeForX(x - view.plotRect().left());
        const double spp = view.scale().secondsPerPixel;
        QWheelEvent in(QPointF(x, 100), view.mapToGlobal(QPointF(x, 100)), {}, QPoint(0, 240), Qt::NoButton,
            Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &in);
        QVERIFY(view.scale().secondsPerPixel < spp * 0.8);
        QVERIFY(std::abs(view.scale().timeForX(x - view.plotRect().left()) - before) < 1e-9);
        QWheelEvent out(QPointF(x, 100), view.mapToGlobal(QPointF(x, 100)), {}, QPoint(0, -480), Qt::NoButton,
            Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &out);
        QVERIFY(view.scale().secondsPerPixel > spp);
        QVERIFY(std::abs(view.scale().timeForX(x - view.plotRect().left()) - before) < 1e-9);
    }

    void dragPansTheTimeAxis()
    {
        TimingView view;
        view.resize(800, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        setReference(view);
        const QPoint from(300, 100);
        const QPoint to(420, 100);
        const double timeAtFrom = view.scale().timeForX(from.x() - view.plotRect().left());
        QTest::mousePress(&view, Qt::LeftButton, {}, from);
        QMouseEvent move(QEvent::MouseMove, QPointF(to), view.mapToGlobal(QPointF(to)), Qt::NoButton,
            Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&view, &move);
        QTest::mouseRelease(&view, Qt::LeftButton, {}, to);
        QVERIFY(std::abs(view.scale().timeForX(to.x() - view.plotRect().left()) - timeAtFrom) < 1e-9);
    }

    void tapShowsAReadoutWithoutHover()
    {
        TimingView view;
        view.resize(800, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        setReference(view);
        // A tap in the red lane at 100 ms: the planned pulse and its valid window.
        const QPoint inRed(int(view.xForTime(100ms)), int(view.laneRect(1).center().y()));
        QTest::mouseClick(&view, Qt::LeftButton, {}, inRed);
        QVERIFY2(view.readoutText().contains(QStringLiteral("planned 90.00 ms – 140.00 ms")),
            qPrintable(view.readoutText()));
        QVERIFY2(
            view.readoutText().contains(QStringLiteral("valid starts 86.8")), qPrintable(view.readoutText()));
        // In the rows: the first row is exposing at 100 ms and receives the whole red flash.
        const QPoint inRows(int(view.xForTime(100ms)), int(std::ceil(view.rowsRect().top())));
        QTest::mouseClick(&view, Qt::LeftButton, {}, inRows);
        QVERIFY2(
            view.readoutText().contains(QStringLiteral("row 0 exposes")), qPrintable(view.readoutText()));
        QVERIFY2(view.readoutText().contains(QStringLiteral("red 100.0 %")), qPrintable(view.readoutText()));
        // Measured edges appear in the readout of their lane.
        view.addMeasuredEdges(
            redPulse(core::monoFromNs(1'000'000'000), 90'040us, 140'020us), core::monoFromNs(1'000'000'000));
        QTest::mouseClick(&view, Qt::LeftButton, {}, inRed);
        QVERIFY2(view.readoutText().contains(QStringLiteral("measured on at 90.04 ms")),
            qPrintable(view.readoutText()));
    }

    void rapidUpdatesCoalesceIntoFewPaints()
    {
        TimingView view;
        view.resize(800, 400);
        setReference(view);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTest::qWait(3 * TimingView::kRepaintIntervalMs);
        PaintCounter counter;
        view.installEventFilter(&counter);
        const MonoTime trigger = core::monoFromNs(5'000'000'000);
        for (int i = 0; i < 1000; ++i)
            view.addMeasuredEdges(
                redPulse(trigger, 90'000us + std::chrono::microseconds(i), 140'000us), trigger);
        QCOMPARE(view.measuredEdgeCount(), std::size_t(2000));
        QCOMPARE(counter.paints, 0);  // nothing painted synchronously
        QTRY_VERIFY_WITH_TIMEOUT(counter.paints >= 1, 2000);
        QTest::qWait(3 * TimingView::kRepaintIntervalMs);
        QVERIFY2(counter.paints <= 2, qPrintable(QString::number(counter.paints)));
    }

    void edgesFromAnotherThreadArriveQueued()
    {
        TimingView view;
        setReference(view);
        const MonoTime trigger = core::monoFromNs(7'000'000'000);
        std::thread producer([&] {
            for (int i = 0; i < 50; ++i)
                view.addMeasuredEdges(redPulse(trigger, 90'010us, 140'010us), trigger);
        });
        producer.join();
        QCOMPARE(view.measuredEdgeCount(), std::size_t(0));  // not touched off the GUI thread
        QTRY_COMPARE(view.measuredEdgeCount(), std::size_t(100));
        view.clearMeasured();
        QCOMPARE(view.measuredEdgeCount(), std::size_t(0));
    }
};

QTEST_MAIN(TestTimingView)
#include "test_timing_view.moc"
