// libFuzzer target: any bytes through ProtocolReader::readBytes and validateProtocol must neither crash nor
// hang.
#include "core/protocol/protocol_reader.h"
#include "core/protocol/protocol_validator.h"
#include "core/protocol/protocol_writer.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace scopesync::core::protocol;

namespace {

ValidationContext rigContext()
{
    ValidationContext c;
    c.leds = {QStringLiteral("red"), QStringLiteral("orange"), QStringLiteral("green"),
        QStringLiteral("blue"), QStringLiteral("uv")};
    c.sensor = scopesync::core::timing::SensorCatalog::find(QStringLiteral("imx477"));
    if (c.sensor)
        c.mode = c.sensor->findMode(4056, 3040);
    c.exposure = std::chrono::microseconds(250'000);
    c.planTiming.exposure = c.exposure;
    return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ValidationContext context = rigContext();
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    // The first byte picks the file-name hint, so both detection paths are explored.
    const QString hint
        = (size > 0 && (data[0] & 1)) ? QStringLiteral("fuzz.454sp.json") : QStringLiteral("fuzz.json");
    const ReadResult result = ProtocolReader::readBytes(bytes, hint);
    if (!result.protocol)
        return 0;
    (void)validateProtocol(*result.protocol, context);
    // A protocol read without errors must survive the native round trip unchanged.
    if (!result.diagnostics.hasErrors()) {
        const QByteArray json = ProtocolWriter::toJson(*result.protocol);
        const ReadResult again = ProtocolReader::readBytes(json, QStringLiteral("again.json"));
        if (!again.protocol || !(*again.protocol == *result.protocol)
            || ProtocolWriter::toJson(*again.protocol) != json)
            std::abort();
    }
    return 0;
}
