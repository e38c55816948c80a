// Unit tests for the model-guided delay search and the plain sweep, on synthetic frames.
#include "core/calibration/delay_search.h"
#include "core/calibration/delay_sweep.h"
#include "core/calibration/rig_delay_probe.h"

#include <QTest>

#include "support/verify_ok.h"
#include "synthetic_frames.h"

using namespace scopesync;
using namespace scopesync::core::calibration;
using scopesync::testing::SyntheticFrames;

namespace {
double ms(Micros t)
{
    return t.count() / 1000.0;
}
}  // namespace

class TestDelaySearch : public QObject {
    Q_OBJECT

private:
    static CalibrationResult search(SyntheticFrames &f, bool earliest = false)
    {
        auto req = f.request();
        req.earliest = earliest;
        DelaySearch s(req);
        auto r = s.run(f.measure());
        if (!r.ok())
            QTest::qFail(qPrintable(r.error().toString()), __FILE__, __LINE__);
        return r.ok() ? r.value() : CalibrationResult {};
    }

private Q_SLOTS:
    // A Global Shutter rig's trigger driven 2 ms late starts the exposure 2 ms late: the LED edges,
    // timed from the trigger as driven, are what the probe judges (a sweep from 0 ms was refused as "too
    // busy" when the start's lateness counted).
    void edgeErrorIsJudgedFromTheTriggerAsDriven()
    {
        using namespace std::chrono_literals;
        using core::acquisition::DrivenEdge;
        const core::acquisition::MonoTime asked {1'000'000'000ns};
        const auto origin = asked + 2ms;  // the trigger edge as it went out
        core::acquisition::StrobeEvent ev;
        ev.triggerTime = origin;
        ev.triggerEdges = {DrivenEdge {QStringLiteral("trigger"), true, asked, origin, origin},
            DrivenEdge {
                QStringLiteral("trigger"), false, origin + 1ms, origin + 1ms + 10us, origin + 1ms + 9us}};
        ev.edges = {DrivenEdge {QStringLiteral("red"), true, origin, origin + 20us, origin + 19us},
            DrivenEdge {
                QStringLiteral("red"), false, origin + 20ms, origin + 20ms + 30us, origin + 20ms + 29us}};
        QCOMPARE(RigDelayProbe::edgeError(ev), std::chrono::nanoseconds(30us));
        QVERIFY(RigDelayProbe::edgeError(ev) <= RigDelayProbe::edgeTolerance());
        // An LED that went out late relative to that trigger still counts.
        ev.edges[0].measured = origin + 500us;
        QCOMPARE(RigDelayProbe::edgeError(ev), std::chrono::nanoseconds(500us));
        // So does a release that shortened or stretched the exposure.
        ev.edges[0].measured = origin;
        ev.triggerEdges[1].measured = origin + 1ms + 300us;
        QCOMPARE(RigDelayProbe::edgeError(ev), std::chrono::nanoseconds(300us));
    }
    // A flash asked sooner after the frame start than the strobe can act (XVS-sink: it learns of the
    // camera's edge by an interrupt) shows as an on edge late in every try, a few ms after the trigger at
    // most; the probe then says where to start rather than blaming a busy machine.
    void aLateOnEdgeIsMeasuredFromTheTrigger()
    {
        using namespace std::chrono_literals;
        using core::acquisition::DrivenEdge;
        const core::acquisition::MonoTime trigger {1'000'000'000ns};
        core::acquisition::StrobeEvent ev;
        ev.triggerTime = trigger;  // the kernel's timestamp of the camera's edge: no trigger pulse driven
        ev.edges = {DrivenEdge {QStringLiteral("red"), true, trigger, trigger + 650us, trigger + 640us},
            DrivenEdge {QStringLiteral("red"), false, trigger + 150ms, trigger + 150ms + 20us,
                trigger + 150ms + 10us}};
        QCOMPARE(RigDelayProbe::lateOnEdge(ev, QStringLiteral("red")),
            std::optional(std::chrono::nanoseconds(650us)));
        QVERIFY(650us < RigDelayProbe::kStrobeReactionBound);
        // Not another LED's; not an off edge's lateness; nothing when the on edge kept time (or came early).
        QCOMPARE(RigDelayProbe::lateOnEdge(ev, QStringLiteral("green")), std::nullopt);
        auto lateOff = ev;
        lateOff.edges[0].measured = trigger + 20us;
        lateOff.edges[1].measured = trigger + 150ms + 400us;
        QCOMPARE(RigDelayProbe::lateOnEdge(lateOff, QStringLiteral("red")), std::nullopt);
        auto early = ev;
        early.edges[0].measured = trigger - 300us;
        QCOMPARE(RigDelayProbe::lateOnEdge(early, QStringLiteral("red")), std::nullopt);
        // A flash asked 40 ms after the trigger and driven 0.5 ms late: 40.5 ms, beyond the reaction bound,
        // so a stalled machine, not a flash asked too soon.
        auto stalled = ev;
        stalled.edges[0].intended = trigger + 40ms;
        stalled.edges[0].measured = trigger + 40ms + 500us;
        QCOMPARE(RigDelayProbe::lateOnEdge(stalled, QStringLiteral("red")),
            std::optional(std::chrono::nanoseconds(40500us)));
        QVERIFY(40500us > RigDelayProbe::kStrobeReactionBound);
    }

    void referenceRigInAHandfulOfFrames_data()
    {
        QTest::addColumn<double>("offsetUs");
        QTest::addColumn<bool>("vflip");
        QTest::newRow("no offset, vflip") << 0.0 << true;
        QTest::newRow("offset +3 ms") << 3000.0 << true;
        QTest::newRow("offset -4 ms, no flip") << -4000.0 << false;
        QTest::newRow("offset +9 ms (first frame banded)") << 9000.0 << true;
    }
    void referenceRigInAHandfulOfFrames()
    {
        QFETCH(double, offsetUs);
        QFETCH(bool, vflip);
        SyntheticFrames f(QStringLiteral("imx477"), 4056, 3040, 250'000, 150'000, vflip, false, offsetUs);
        const auto r = search(f);
        const double start = (3039 * f.lineUs() + offsetUs) / 1000, end = (100'000 + offsetUs) / 1000;
        QVERIFY2(std::abs(ms(r.windowStart) - start) < 0.5,
            qPrintable(QStringLiteral("start %1 vs %2").arg(ms(r.windowStart)).arg(start)));
        QVERIFY2(std::abs(ms(r.windowEnd) - end) < 0.5,
            qPrintable(QStringLiteral("end %1 vs %2").arg(ms(r.windowEnd)).arg(end)));
        QVERIFY2(r.framesUsed <= 12, qPrintable(QString::number(r.framesUsed)));
        QCOMPARE(r.framesUsed, f.frames());
        QCOMPARE(int(r.curve.size()), r.framesUsed);
        QVERIFY(r.recommended > r.windowStart && r.recommended < r.windowEnd);
        QVERIFY(std::abs(ms(r.measuredOffset()) - offsetUs / 1000) < 0.5);
        QVERIFY2(r.notes.isEmpty(), qPrintable(r.notes.join(u'\n')));
    }

    void binnedModeStartsNear23ms()
    {
        SyntheticFrames f(QStringLiteral("imx477"), 2028, 1520, 250'000, 150'000, true, false);
        const auto r = search(f);
        QVERIFY2(std::abs(ms(r.windowStart) - 23.07) < 0.5, qPrintable(QString::number(ms(r.windowStart))));
        QVERIFY2(std::abs(ms(r.windowEnd) - 100.0) < 0.5, qPrintable(QString::number(ms(r.windowEnd))));
        QVERIFY(r.framesUsed <= 12);
    }

    void globalShutterStartsAtZero()
    {
        SyntheticFrames f(QStringLiteral("imx296"), 1456, 1088, 50'000, 20'000, false, false);
        const auto r = search(f);
        QCOMPARE(ms(r.windowStart), 0.0);
        QVERIFY2(std::abs(ms(r.windowEnd) - 30.0) < 0.5, qPrintable(QString::number(ms(r.windowEnd))));
        QVERIFY(r.framesUsed <= 12);
    }

    // The strobe of a busy machine drives edges late; the search must place the window from the edges as
    // driven. (Taken as asked, a 2 ms late on edge moved the start 2 ms early, and a reference frame with
    // a 15 ms late off edge made every global-shutter frame look dimmed.)
    void flashesDrivenLateAreMeasuredWhereTheyWere_data()
    {
        QTest::addColumn<QString>("sensor");
        QTest::newRow("IMX477 full resolution") << QStringLiteral("imx477");
        QTest::newRow("IMX296 global shutter") << QStringLiteral("imx296");
    }
    void flashesDrivenLateAreMeasuredWhereTheyWere()
    {
        QFETCH(QString, sensor);
        const bool global = sensor == QLatin1String("imx296");
        SyntheticFrames f = global ? SyntheticFrames(sensor, 1456, 1088, 50'000, 20'000, false, false)
                                   : SyntheticFrames(sensor, 4056, 3040, 250'000, 150'000, true, false);
        f.setLateness([&](int n) {
            if (global)
                return n == 0 ? std::pair {0.0, 15'000.0} : std::pair {40.0, 60.0};
            return std::pair {2000.0 + 100.0 * n, 1500.0 + 90.0 * n};
        });
        const auto r = search(f);
        const double start = global ? 0.0 : 3039 * f.lineUs() / 1000, end = global ? 30.0 : 100.0;
        QVERIFY2(std::abs(ms(r.windowStart) - start) < 0.5,
            qPrintable(QStringLiteral("start %1 vs %2").arg(ms(r.windowStart)).arg(start)));
        QVERIFY2(std::abs(ms(r.windowEnd) - end) < 0.5,
            qPrintable(QStringLiteral("end %1 vs %2").arg(ms(r.windowEnd)).arg(end)));
    }

    // A frame whose flash did not land where it was reported: a camera frame that started late against its
    // trigger, or one that missed the flash. Taken at its word it moves an edge: the global shutter's dark
    // end probe put the end at 16 ms (truth 30), the rolling shutter's start probe lit 11.8 ms early put
    // the start at 34.9 ms (truth 23.1); both were saved as calibrated. The frame just outside the wrong
    // edge is evenly lit, the frame's estimate is left out, the edge is measured again, and the result
    // says so.
    void aFrameWhoseFlashMissedItsTimeIsCaught_data()
    {
        QTest::addColumn<QString>("sensor");
        QTest::addColumn<int>("badFrame");
        QTest::addColumn<double>("shownShiftUs");
        QTest::newRow("global shutter, dark end probe") << QStringLiteral("imx296") << 2 << 1e7;
        QTest::newRow("rolling shutter, start probe lit early") << QStringLiteral("imx477") << 1 << -11'800.0;
    }
    void aFrameWhoseFlashMissedItsTimeIsCaught()
    {
        QFETCH(QString, sensor);
        QFETCH(int, badFrame);
        QFETCH(double, shownShiftUs);
        const bool global = sensor == QLatin1String("imx296");
        SyntheticFrames f = global ? SyntheticFrames(sensor, 1456, 1088, 50'000, 20'000, false, false)
                                   : SyntheticFrames(sensor, 2028, 1520, 250'000, 150'000, true, false);
        const auto honest = f.measure();
        const double flashUs = f.request().flash.count();
        int n = 0;
        const auto measure = [&](Micros d) {
            auto shot = honest(d);
            if (n++ == badFrame && shot.ok())
                shot->image
                    = f.frame(shot->on.count() + shownShiftUs, shot->on.count() + shownShiftUs + flashUs);
            return shot;
        };
        const auto r = DelaySearch(f.request()).run(measure);
        SCOPESYNC_VERIFY_OK(r);
        const double start = global ? 0.0 : 23.07, end = global ? 30.0 : 100.0;
        QVERIFY2(std::abs(ms(r->windowStart) - start) < 0.5, qPrintable(QString::number(ms(r->windowStart))));
        QVERIFY2(std::abs(ms(r->windowEnd) - end) < 0.5, qPrintable(QString::number(ms(r->windowEnd))));
        const QString notes = r->notes.join(u'\n');
        qInfo("%d frames; %s", r->framesUsed, qPrintable(notes));
        QVERIFY2(notes.contains(QStringLiteral("measured again")), qPrintable(notes));
        QVERIFY2(notes.contains(QStringLiteral("left out")), qPrintable(notes));
    }

    // Flashes that land anywhere but where they were driven: the frames cannot agree on a window, and the
    // search refuses rather than saving one.
    void framesThatKeepDisagreeingAreRefused()
    {
        SyntheticFrames f(QStringLiteral("imx296"), 1456, 1088, 50'000, 20'000, false, false);
        const auto honest = f.measure();
        int n = 0;
        const auto measure = [&](Micros d) {
            auto shot = honest(d);
            // After the reference, every second frame shows its flash 12 ms early, the others 12 ms late.
            const double shift = n++ == 0 ? 0.0 : (n % 2 ? -12'000.0 : 12'000.0);
            if (shot.ok())
                shot->image = f.frame(shot->on.count() + shift, shot->off.count() + shift);
            return shot;
        };
        const auto r = DelaySearch(f.request()).run(measure);
        QVERIFY2(!r.ok(),
            qPrintable(QStringLiteral("window %1–%2 ms saved as calibrated")
                           .arg(ms(r.ok() ? r->windowStart : Micros(0)))
                           .arg(ms(r.ok() ? r->windowEnd : Micros(0)))));
        qInfo() << r.error().toString();
        QCOMPARE(r.error().where, QStringLiteral("calibration"));
    }

    void earliestWithMargin()
    {
        SyntheticFrames f(QStringLiteral("imx477"), 2028, 1520, 250'000, 150'000, true, false);
        const auto r = search(f, true);
        QVERIFY(std::abs(ms(r.recommended - r.windowStart) - 0.5) < 1e-6);
        QCOMPARE(recommendDelay(Micros(10), Micros(20), true, Micros(100)), Micros(20));
        QCOMPARE(recommendDelay(Micros(10), Micros(20), false, Micros(100)), Micros(15));
    }

    void infeasibleWindowTakesNoFrame()
    {
        SyntheticFrames f(QStringLiteral("imx477"), 4056, 3040, 200'000, 150'000, true, false);
        DelaySearch s(f.request());
        const auto r = s.run(f.measure());
        QVERIFY(!r.ok());
        QCOMPARE(f.frames(), 0);
        QVERIFY2(r.error().message.contains(QStringLiteral("236.8")), qPrintable(r.error().message));
        QVERIFY2(r.error().message.contains(QStringLiteral("113.1")), qPrintable(r.error().message));
    }

    void measurementErrorsAndCancelStop()
    {
        SyntheticFrames f(QStringLiteral("imx477"), 2028, 1520, 250'000, 150'000, true, false);
        DelaySearch s(f.request());
        const auto failing = [](Micros) -> core::Result<DelayShot> {
            return core::Error {QStringLiteral("camera stall"), QStringLiteral("camera")};
        };
        QVERIFY(!s.run(failing).ok());
        int calls = 0;
        const auto r = s.run(f.measure(), [&](const SearchProgress &p) {
            ++calls;
            return p.frame < 2;
        });
        QVERIFY(!r.ok());
        QCOMPARE(calls, 2);
        QVERIFY(r.error().message.contains(QStringLiteral("stopped")));
    }

    void darkFramesAreReported()
    {
        SyntheticFrames f(QStringLiteral("imx477"), 2028, 1520, 250'000, 150'000, true, false);
        DelaySearch s(f.request());
        const auto r = s.run([](Micros d) -> core::Result<DelayShot> {
            core::Image16 img(2028, 1520, 12);
            std::fill(img.pixels.begin(), img.pixels.end(), quint16(256));
            return DelayShot {std::move(img), d, d + Micros(150'000)};
        });
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QStringLiteral("no light")), qPrintable(r.error().message));
    }

    void sweepFindsTheWindowToHalfAStep()
    {
        SyntheticFrames f(QStringLiteral("imx477"), 2028, 1520, 60'000, 20'000, true, false, 1500);
        auto range = SweepRange::parse(QStringLiteral("20:42:1"));
        QVERIFY(range.ok());
        DelaySweep sweep(f.request(), range.value());
        const auto r = sweep.run(f.measure());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QCOMPARE(r->framesUsed, 23);
        const double start = (1519 * f.lineUs() + 1500) / 1000, end = 41.5;
        QVERIFY2(
            std::abs(ms(r->windowStart) - start) <= 0.5, qPrintable(QString::number(ms(r->windowStart))));
        QVERIFY2(std::abs(ms(r->windowEnd) - end) <= 0.5, qPrintable(QString::number(ms(r->windowEnd))));
        QVERIFY(!SweepRange::parse(QStringLiteral("0:100")).ok());
        QVERIFY(!SweepRange::parse(QStringLiteral("10:0:1")).ok());
        QVERIFY(!SweepRange::parse(QStringLiteral("0:100:0")).ok());
    }

    // Numbers that overflow once in microseconds are refused when parsed, not crashed on later.
    void sweepRefusesHugeNumbers()
    {
        const auto r = SweepRange::parse(QStringLiteral("1e308:1e308:1"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QStringLiteral("at most")), qPrintable(r.error().message));
        QVERIFY(!SweepRange::parse(QStringLiteral("0:1:1e308")).ok());
        QVERIFY(SweepRange::parse(QStringLiteral("0:600000:1000")).ok());
    }

    // Delays past shutter + readout light no row: they are skipped, never taken at the limit instead.
    void sweepSkipsDelaysPastTheLimit()
    {
        SyntheticFrames f(QStringLiteral("imx477"), 2028, 1520, 60'000, 20'000, true, false, 1500);
        const double limitMs = f.request().delayLimit().count() / 1000;
        DelaySweep sweep(f.request(), SweepRange::parse(QStringLiteral("20:200:1")).value());
        const auto r = sweep.run(f.measure());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        const int expected = int(std::floor(limitMs - 20)) + 1;
        QCOMPARE(r->framesUsed, expected);
        QCOMPARE(f.frames(), expected);
        for (const auto &p : r->curve)
            QVERIFY2(ms(p.delay) <= limitMs, qPrintable(QString::number(ms(p.delay))));
        QVERIFY2(std::abs(ms(r->windowEnd) - 41.5) <= 0.5, qPrintable(QString::number(ms(r->windowEnd))));
        QVERIFY2(r->notes.join(u'\n').contains(QStringLiteral("skipped")), qPrintable(r->notes.join(u'\n')));

        DelaySweep late(f.request(), SweepRange::parse(QStringLiteral("150:200:1")).value());
        const auto refused = late.run(f.measure());
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("shutter + readout")),
            qPrintable(refused.error().message));
    }

    // Frames with no light are never "inside", even when every frame of the sweep is dark.
    void sweepNeverCallsAnUnlitFrameInside()
    {
        SyntheticFrames f(QStringLiteral("imx477"), 2028, 1520, 60'000, 20'000, true, false);
        const auto dark = [](Micros d) -> core::Result<DelayShot> {
            core::Image16 img(2028, 1520, 12);
            std::fill(img.pixels.begin(), img.pixels.end(), quint16(256));
            return DelayShot {std::move(img), d, d + Micros(20'000)};
        };
        QList<core::analysis::FlashTiming> seen;
        const ProgressFn progress = [&seen](const SearchProgress &p) {
            seen << p.score.timing;
            return true;
        };
        DelaySweep sweep(f.request(), SweepRange::parse(QStringLiteral("30:40:1")).value());
        const auto r = sweep.run(dark, progress);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QStringLiteral("no frame of the sweep shows light")),
            qPrintable(r.error().message));
        QCOMPARE(seen.size(), 11);
        QVERIFY(!seen.contains(core::analysis::FlashTiming::Inside));

        // Lit frames around a dark one: the dark one is not part of the window.
        int n = 0;
        auto lit = f.measure();
        const MeasureFn oneDark
            = [&](Micros d) -> core::Result<DelayShot> { return ++n == 8 ? dark(d) : lit(d); };
        DelaySweep mixed(f.request(), SweepRange::parse(QStringLiteral("20:42:1")).value());
        const auto m = mixed.run(oneDark);
        QVERIFY2(m.ok(), m.ok() ? "" : qPrintable(m.error().toString()));
        QVERIFY(m->curve[7].score.timing != core::analysis::FlashTiming::Inside);
        QCOMPARE(m->curve[7].score.litFraction, 0.0);
    }
};

QTEST_APPLESS_MAIN(TestDelaySearch)
#include "test_delay_search.moc"
