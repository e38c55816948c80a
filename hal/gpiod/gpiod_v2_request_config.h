// GpiodV2RequestConfig: the building blocks of a libgpiod v2 line request, freed on every path.
#pragma once

#if SCOPESYNC_LIBGPIOD_V2
#include <gpiod.h>

namespace scopesync::hal::gpiod {

// They only need to live until gpiod_chip_request_lines() has copied them.
struct GpiodV2RequestConfig {
    gpiod_line_settings *settings = gpiod_line_settings_new();
    gpiod_line_config *lineConfig = gpiod_line_config_new();
    gpiod_request_config *requestConfig = gpiod_request_config_new();
    GpiodV2RequestConfig() = default;
    GpiodV2RequestConfig(const GpiodV2RequestConfig &) = delete;
    GpiodV2RequestConfig &operator=(const GpiodV2RequestConfig &) = delete;
    ~GpiodV2RequestConfig()
    {
        // The free functions accept NULL.
        gpiod_request_config_free(requestConfig);
        gpiod_line_config_free(lineConfig);
        gpiod_line_settings_free(settings);
    }
    [[nodiscard]] bool allocated() const { return settings && lineConfig && requestConfig; }
};

}  // namespace scopesync::hal::gpiod
#endif
