// The run description: a tree of steps (groups, images with flashes, waits, temperature, illumination).
#pragma once

#include <QString>

#include <chrono>
#include <optional>
#include <vector>

namespace scopesync::core::protocol {

// One LED pulse. In an image step all flashes start together at the rig's flash delay (several
// colours at once); each lasts its own duration.
struct Flash {
    QString led;  // rig LED name: "red", "orange", "green", "blue", "uv"…
    std::chrono::microseconds duration {0};
    int intensityPerMille = 1000;  // 0–1000, PWM duty where the pin has hardware PWM
    QString sourcePath;  // JSON path in the file it was read from (not compared)

    friend bool operator==(const Flash &a, const Flash &b)
    {
        return a.led == b.led && a.duration == b.duration && a.intensityPerMille == b.intensityPerMille;
    }
};

enum class StepKind {
    Group,  // `children` repeated `iterations` times
    Image,  // one captured frame lit by `flashes`
    Wait,  // `duration` without light or capture
    SetTemperature,  // heater set point `temperatureKelvin`
    Illuminate,  // `flashes` held on for `duration` (the 454 "cleave"); a frame every `capturePeriod`
};

struct Step {
    StepKind kind = StepKind::Image;
    QString label;

    // Group
    int iterations = 1;
    std::vector<Step> children;

    // Image: `filter` is the emission filter the image expects ("" = none specified).
    // Illuminate: the LEDs held on.
    QString filter;
    std::vector<Flash> flashes;

    // Wait, Illuminate
    std::chrono::milliseconds duration {0};
    // Illuminate: capture a frame every period while lit; none = no capture.
    std::optional<std::chrono::milliseconds> capturePeriod;

    // SetTemperature
    double temperatureKelvin = 0.0;

    QString sourcePath;  // JSON path in the file it was read from ("$.steps[2]"); not compared

    friend bool operator==(const Step &a, const Step &b)
    {
        return a.kind == b.kind && a.label == b.label && a.iterations == b.iterations
            && a.children == b.children && a.filter == b.filter && a.flashes == b.flashes
            && a.duration == b.duration && a.capturePeriod == b.capturePeriod
            && a.temperatureKelvin == b.temperatureKelvin;
    }
};

struct Protocol {
    static constexpr int kFormatVersion = 1;

    QString name;
    QString description;
    std::vector<Step> steps;
    // Where the list of steps sits in the file it was read from ("$.Group_args.events" in a 454 file);
    // empty: "$.steps", the native format's. Not part of what the protocol is.
    QString stepsPath;

    friend bool operator==(const Protocol &a, const Protocol &b)
    {
        return a.name == b.name && a.description == b.description && a.steps == b.steps;
    }
};

QString stepKindName(StepKind kind);  // the native JSON "type": "group", "image", …

}  // namespace scopesync::core::protocol
