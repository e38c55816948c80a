// scopesync-output-guard: a tiny process that drives a rig's heater and stepper lines low when the
// ScopeSync process that started it dies, SIGKILL included (a released GPIO line keeps its level).
//   scopesync-output-guard [--hold-ms N] CHIP LINE [LINE...]
// It writes "ready" on stdout, then blocks reading stdin, a pipe whose only writer is the parent. EOF on
// that pipe means the parent is gone (the kernel closes its descriptors, releasing its lines too); the
// guard then requests each line as an output driven low, holds it N ms (0 by default: a Raspberry Pi's
// pin keeps its level when released; a simulated chip returns it to its pull), releases it and exits.
#include <gpiod.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

// A line driven low: released by the destructor of the list below.
#if SCOPESYNC_LIBGPIOD_V2
using Held = gpiod_line_request *;
#else
using Held = gpiod_line *;
#endif

void release(Held h)
{
#if SCOPESYNC_LIBGPIOD_V2
    gpiod_line_request_release(h);
#else
    gpiod_line_release(h);
#endif
}

// Requests `offset` as an output at 0; nullptr while another holder still has it.
Held driveLow(gpiod_chip *chip, unsigned int offset)
{
#if SCOPESYNC_LIBGPIOD_V2
    gpiod_line_settings *settings = gpiod_line_settings_new();
    gpiod_line_config *lineConfig = gpiod_line_config_new();
    gpiod_request_config *requestConfig = gpiod_request_config_new();
    Held held = nullptr;
    if (settings && lineConfig && requestConfig) {
        gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_OUTPUT);
        gpiod_line_settings_set_output_value(settings, GPIOD_LINE_VALUE_INACTIVE);
        gpiod_line_config_add_line_settings(lineConfig, &offset, 1, settings);
        gpiod_request_config_set_consumer(requestConfig, "scopesync-output-guard");
        held = gpiod_chip_request_lines(chip, requestConfig, lineConfig);
        if (held && gpiod_line_request_set_value(held, offset, GPIOD_LINE_VALUE_INACTIVE) != 0) {
            gpiod_line_request_release(held);
            held = nullptr;
        }
    }
    gpiod_request_config_free(requestConfig);
    gpiod_line_config_free(lineConfig);
    gpiod_line_settings_free(settings);
    return held;
#else
    gpiod_line *line = gpiod_chip_get_line(chip, offset);
    if (!line || gpiod_line_request_output(line, "scopesync-output-guard", 0) != 0)
        return nullptr;
    if (gpiod_line_set_value(line, 0) != 0) {
        gpiod_line_release(line);
        return nullptr;
    }
    return line;
#endif
}

}  // namespace

int main(int argc, char **argv)
{
    int first = 1;
    long holdMs = 0;
    if (argc > 2 && std::string(argv[1]) == "--hold-ms") {
        holdMs = std::strtol(argv[2], nullptr, 10);
        first = 3;
    }
    if (argc - first < 2) {
        std::fprintf(stderr, "usage: scopesync-output-guard [--hold-ms N] CHIP LINE [LINE...]\n");
        return 2;
    }
    // The parent's terminal and service manager signal the whole group; the guard outlives them so it
    // can act on the parent's end. The mask inherited through exec may block signals: clear it.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    std::signal(SIGINT, SIG_IGN);
    std::signal(SIGTERM, SIG_IGN);
    std::signal(SIGHUP, SIG_IGN);
    std::signal(SIGPIPE, SIG_IGN);

    std::string chipPath = argv[first];
    if (chipPath.find('/') == std::string::npos)
        chipPath = (chipPath.rfind("gpiochip", 0) == 0 ? "/dev/" : "/dev/gpiochip") + chipPath;
    std::vector<unsigned int> offsets;
    for (int i = first + 1; i < argc; ++i) {
        char *end = nullptr;
        const long v = std::strtol(argv[i], &end, 10);
        if (!end || *end != '\0' || v < 0) {
            std::fprintf(stderr, "scopesync-output-guard: '%s' is not a line number\n", argv[i]);
            return 2;
        }
        offsets.push_back(static_cast<unsigned int>(v));
    }
#if SCOPESYNC_LIBGPIOD_V2
    gpiod_chip *chip = gpiod_chip_open(chipPath.c_str());
#else
    gpiod_chip *chip = gpiod_chip_open(chipPath.c_str());
#endif
    if (!chip) {
        std::fprintf(
            stderr, "scopesync-output-guard: cannot open %s: %s\n", chipPath.c_str(), std::strerror(errno));
        return 3;
    }
    if (::write(STDOUT_FILENO, "ready\n", 6) != 6)
        return 4;
    ::close(STDOUT_FILENO);

    char buffer[64];
    while (true) {
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n == 0)
            break;  // the parent is gone
        if (n < 0 && errno != EINTR)
            break;
    }

    // The parent's line requests close with its other descriptors, possibly a moment after the pipe:
    // retry a busy line for up to 2 s (the heater must be low within a second of the parent's death).
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::seconds(2);
    std::vector<Held> held(offsets.size(), nullptr);
    std::size_t remaining = offsets.size();
    while (remaining > 0 && Clock::now() < deadline) {
        for (std::size_t i = 0; i < offsets.size(); ++i)
            if (!held[i] && (held[i] = driveLow(chip, offsets[i])))
                --remaining;
        if (remaining > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (holdMs > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(holdMs));
    for (Held h : held)
        if (h)
            release(h);
    for (std::size_t i = 0; i < offsets.size(); ++i)
        if (!held[i])
            std::fprintf(stderr,
                "scopesync-output-guard: %s line %u stayed busy; it may still be driven. Run 'scopesync "
                "outputs-off'.\n",
                chipPath.c_str(), offsets[i]);
    gpiod_chip_close(chip);
    return remaining == 0 ? 0 : 1;
}
