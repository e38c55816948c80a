// Unit tests for Crc32: every kernel this CPU runs against zlib's crc32(), the value the manifest promises.
#include "core/storage/crc32.h"

#include <QTest>

#include <random>
#include <vector>
#include <zlib.h>

using namespace scopesync::core::storage;

namespace {

quint32 zlibCrc(const unsigned char *p, std::size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);
    // zlib takes an unsigned int length: feed it in pieces.
    while (n > 0) {
        const auto piece = uInt(std::min<std::size_t>(n, 1u << 30));
        c = crc32(c, p, piece);
        p += piece;
        n -= piece;
    }
    return quint32(c);
}

quint32 kernelCrc(Crc32::Kernel k, const unsigned char *p, std::size_t n)
{
    return ~Crc32::update(k, 0xFFFFFFFFu, p, n);
}

std::vector<unsigned char> randomBytes(std::size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<unsigned char> v(n);
    for (auto &b : v)
        b = static_cast<unsigned char>(rng());
    return v;
}

}  // namespace

class TestCrc32 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void kernels_data()
    {
        QTest::addColumn<int>("kernel");
        for (const auto k : {Crc32::Kernel::Table, Crc32::Kernel::Pclmul, Crc32::Kernel::ArmCrc})
            QTest::newRow(Crc32::kernelName(k)) << int(k);
    }

    void chosenKernelIsSupported()
    {
        QVERIFY(Crc32::supported(Crc32::kernel()));
        QVERIFY(Crc32::supported(Crc32::Kernel::Table));
        qInfo("add() uses %s", Crc32::kernelName(Crc32::kernel()));
    }

    void standardCheckValue_data() { kernels_data(); }
    void standardCheckValue()
    {
        QFETCH(int, kernel);
        const auto k = Crc32::Kernel(kernel);
        if (!Crc32::supported(k))
            QSKIP("this CPU lacks the instructions of this kernel");
        QCOMPARE(kernelCrc(k, reinterpret_cast<const unsigned char *>("123456789"), 9), 0xCBF43926u);
    }

    // Every length 0..300 at every alignment 0..15: the short paths, the 64-byte blocks and the tails.
    void shortLengthsEveryAlignment_data() { kernels_data(); }
    void shortLengthsEveryAlignment()
    {
        QFETCH(int, kernel);
        const auto k = Crc32::Kernel(kernel);
        if (!Crc32::supported(k))
            QSKIP("this CPU lacks the instructions of this kernel");
        const auto buf = randomBytes(300 + 16, 7);
        for (std::size_t offset = 0; offset < 16; ++offset)
            for (std::size_t n = 0; n <= 300; ++n) {
                const unsigned char *p = buf.data() + offset;
                const quint32 want = zlibCrc(p, n);
                const quint32 got = kernelCrc(k, p, n);
                if (got != want)
                    QFAIL(qPrintable(QStringLiteral("length %1 offset %2: %3, zlib %4")
                                         .arg(n)
                                         .arg(offset)
                                         .arg(got, 8, 16, QLatin1Char('0'))
                                         .arg(want, 8, 16, QLatin1Char('0'))));
            }
    }

    // Runs of one byte value and zeros: folding must not depend on the data being random.
    void structuredBuffers_data() { kernels_data(); }
    void structuredBuffers()
    {
        QFETCH(int, kernel);
        const auto k = Crc32::Kernel(kernel);
        if (!Crc32::supported(k))
            QSKIP("this CPU lacks the instructions of this kernel");
        for (const int value : {0x00, 0xFF, 0x5A}) {
            const std::vector<unsigned char> buf(100'003, static_cast<unsigned char>(value));
            QCOMPARE(kernelCrc(k, buf.data(), buf.size()), zlibCrc(buf.data(), buf.size()));
        }
    }

    void largeRandomBuffers_data() { kernels_data(); }
    void largeRandomBuffers()
    {
        QFETCH(int, kernel);
        const auto k = Crc32::Kernel(kernel);
        if (!Crc32::supported(k))
            QSKIP("this CPU lacks the instructions of this kernel");
        std::mt19937 rng(11);
        const auto buf = randomBytes((1u << 24) + 64, 3);
        for (int i = 0; i < 12; ++i) {
            const std::size_t offset = rng() % 64;
            const std::size_t n = i == 0 ? (1u << 24) : std::size_t(rng() % (1u << 24));
            QCOMPARE(kernelCrc(k, buf.data() + offset, n), zlibCrc(buf.data() + offset, n));
        }
    }

    // add() in pieces split at random points gives the value of the whole, as the writer feeds it.
    void incrementalAtRandomSplits()
    {
        const auto buf = randomBytes(3'000'017, 5);
        const quint32 want = zlibCrc(buf.data(), buf.size());
        QCOMPARE(Crc32::of(buf.data(), buf.size()), want);
        std::mt19937 rng(9);
        for (int trial = 0; trial < 20; ++trial) {
            Crc32 crc;
            std::size_t at = 0;
            while (at < buf.size()) {
                // Mostly short pieces (every tail path), now and then a long one.
                const std::size_t piece
                    = std::min(buf.size() - at, std::size_t(rng() % 4 == 0 ? rng() % 500'000 : rng() % 200));
                crc.add(buf.data() + at, piece);
                at += piece;
            }
            QCOMPARE(crc.value(), want);
        }
    }

    // The kernels agree with each other on the same pieces, state carried from one to the next.
    void kernelsMixInOneStream()
    {
        const auto buf = randomBytes(1'000'000, 13);
        quint32 state = 0xFFFFFFFFu;
        std::mt19937 rng(17);
        std::size_t at = 0;
        int turn = 0;
        const Crc32::Kernel all[] = {Crc32::Kernel::Table, Crc32::Kernel::Pclmul, Crc32::Kernel::ArmCrc};
        while (at < buf.size()) {
            const std::size_t piece = std::min(buf.size() - at, std::size_t(rng() % 5000));
            Crc32::Kernel k = all[turn++ % 3];
            if (!Crc32::supported(k))
                k = Crc32::Kernel::Table;
            state = Crc32::update(k, state, buf.data() + at, piece);
            at += piece;
        }
        QCOMPARE(~state, zlibCrc(buf.data(), buf.size()));
    }
};

QTEST_APPLESS_MAIN(TestCrc32)
#include "test_crc32.moc"
