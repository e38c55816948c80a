// The run description: a tree of steps (groups, images with flashes, waits, temperature, illumination).
#include "core/protocol/protocol.h"

namespace scopesync::core::protocol {

QString stepKindName(StepKind kind)
{
    switch (kind) {
    case StepKind::Group: return QStringLiteral("group");
    case StepKind::Image: return QStringLiteral("image");
    case StepKind::Wait: return QStringLiteral("wait");
    case StepKind::SetTemperature: return QStringLiteral("set_temperature");
    case StepKind::Illuminate: return QStringLiteral("illuminate");
    }
    return {};
}

}  // namespace scopesync::core::protocol
