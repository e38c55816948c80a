// libFuzzer target: any bytes through the rpicam-apps config reader, then a write/read-back of the result.
#include "core/camera/rpicam_config_reader.h"

#include <QByteArray>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace scopesync::core::camera;

namespace {

[[noreturn]] void fail(const char *what, const QByteArray &written)
{
    // abort() so libFuzzer saves the input that led here.
    std::fprintf(stderr, "fuzz_camera_config: %s\n--- written file ---\n%s\n", what, written.constData());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const ConfigReadResult first = readRpicamConfig(input);

    // Whatever the reader accepted must be writable as a file that reads back cleanly and equal:
    // the reader may only produce settings the writer can express.
    const QByteArray written = writeRpicamConfig(first.settings);
    const ConfigReadResult second = readRpicamConfig(written);
    if (second.diagnostics.hasErrors()) {
        for (const auto &d : second.diagnostics.errors())
            std::fprintf(stderr, "%s\n", qPrintable(d.toString()));
        fail("the written file has errors", written);
    }
    if (!(second.settings == first.settings))
        fail("the written file reads back different settings", written);
    // Writing is a fixed point: a second write gives the same bytes.
    if (writeRpicamConfig(second.settings) != written)
        fail("writing twice gives different text", written);
    return 0;
}
