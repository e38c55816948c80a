// Reads and writes rpicam-apps `-c/--config` files (rpicam-still, rpicam-vid) as CameraSettings.
//
// Behaviour checked against rpicam-apps (core/options.cpp, still_options.hpp, video_options.hpp)
// and Boost 1.74's parse_config_file: '#' cuts the line wherever it appears, name and value are
// trimmed of " \t\r\n", a line without '=' is refused, a "[section]" line prefixes later names
// with "section.", names are case-sensitive and unknown names are refused, and setting one key
// twice is refused ("cannot be specified more than once"). A UTF-8 BOM becomes part of the
// first name, so rpicam-apps refuses such a file too.
#include "core/camera/rpicam_config_reader.h"

#include "core/common/bounded_file_reader.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLocale>

#include <algorithm>
#include <array>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <limits>

namespace scopesync::core::camera {

namespace {

using std::chrono::microseconds;

// Keys ScopeSync reads into CameraSettings.
constexpr auto kUsedKeys = std::to_array<const char *>({"shutter", "gain", "analoggain", "awb", "awbgains",
    "denoise", "brightness", "contrast", "saturation", "sharpness", "ev", "exposure", "metering", "hflip",
    "vflip", "rotation", "roi", "mode", "framerate", "width", "height", "tuning-file", "buffer-count"});

// Every other long option of rpicam-apps' common, still and video option sets: accepted there, so a
// user's file keeps working, but meaningless for a ScopeSync run (output, preview, encoder…).
constexpr auto kUnusedKeys = std::to_array<const char *>({"help", "version", "list-cameras", "camera",
    "verbose", "config", "info-text", "timeout", "output", "post-process-file", "post-process-libs",
    "nopreview", "preview", "fullscreen", "qt-preview", "preview-libs", "preview-backend", "ccm", "flush",
    "wrap", "viewfinder-width", "viewfinder-height", "lores-width", "lores-height", "lores-par",
    "viewfinder-mode", "viewfinder-buffer-count", "no-raw", "autofocus-mode", "autofocus-range",
    "autofocus-speed", "autofocus-window", "lens-position", "hdr", "metadata", "metadata-format",
    "flicker-period",
    // rpicam-vid
    "bitrate", "profile", "level", "intra", "inline", "codec", "encoder-libs", "save-pts", "quality",
    "listen", "keypress", "signal", "initial", "split", "segment", "circular", "frames", "libav-video-codec",
    "libav-video-codec-opts", "libav-format", "libav-audio", "audio-codec", "audio-source", "audio-device",
    "audio-channels", "audio-bitrate", "audio-samplerate", "av-sync", "low-latency", "sync",
    // rpicam-still
    "exif", "timelapse", "framestart", "datetime", "timestamp", "restart", "thumb", "encoding", "raw",
    "latest", "immediate", "autofocus-on-capture", "zsl",
    // rpicam-detect
    "object", "gap", "timeformat",
    // options of earlier releases (libcamera-apps), still found in users' files
    "audio", "rawfull"});

constexpr microseconds kMaxShutter = std::chrono::hours(1);
constexpr int kMaxDimension = 65535;
constexpr int kMaxBufferCount = 1024;
constexpr double kMaxPictureAdjust = 15.99;  // rpicam-apps clamps contrast/saturation/sharpness to 0…15.99
// A real config has a few dozen lines; past this many problems the input is not one, and listing
// every line of a binary file helps nobody.
constexpr qsizetype kMaxProblems = 100;

bool isKnown(const QByteArray &key, const auto &keys)
{
    return std::any_of(keys.begin(), keys.end(), [&](const char *k) { return key == k; });
}

// An option rpicam-apps accepts, used by ScopeSync or not.
bool isOption(const QByteArray &key)
{
    return isKnown(key, kUsedKeys) || isKnown(key, kUnusedKeys);
}

QByteArray withoutDashes(QByteArray word)
{
    while (word.startsWith('-'))
        word.remove(0, 1);
    return word;
}

// What a message shows of user bytes: printable, short, so a binary file still gives a readable report.
QString shown(const QByteArray &bytes)
{
    constexpr qsizetype kMaxShown = 60;
    QString text = QString::fromUtf8(bytes.left(kMaxShown * 4));
    QString out;
    for (const QChar c : text) {
        if (out.size() >= kMaxShown) {
            out += u'…';
            break;
        }
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else if (c.unicode() == 0xfeff)
            out += QStringLiteral("\\uFEFF");
        else
            out += c;
    }
    return out;
}

QByteArray trimmed(const QByteArray &s)
{
    // Boost trims exactly these; QByteArray::trimmed() would also eat \v and \f, which Boost keeps.
    const auto isWs = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    qsizetype b = 0;
    qsizetype e = s.size();
    while (b < e && isWs(s[b]))
        ++b;
    while (e > b && isWs(s[e - 1]))
        --e;
    return s.mid(b, e - b);
}

constexpr qsizetype kMaxComparedLength = 40;  // keeps a megabyte-long "key" from costing seconds

// Optimal-string-alignment distance, ASCII case-folded (a swapped pair of letters counts once),
// or limit + 1 once it is sure to exceed `limit`. Only cells within `limit` of the diagonal can
// stay under the limit, so only those are computed: this runs for every unknown key.
int editDistance(const QByteArray &a, const QByteArray &b, int limit)
{
    Q_ASSERT(a.size() <= kMaxComparedLength && b.size() <= kMaxComparedLength);
    const int n = static_cast<int>(a.size());
    const int m = static_cast<int>(b.size());
    const int over = limit + 1;
    if (std::abs(n - m) > limit)
        return over;
    constexpr auto kSide = static_cast<std::size_t>(kMaxComparedLength + 1);
    std::array<char, kSide> fa;  // only the first n / m entries are read, all written first
    std::array<char, kSide> fb;
    const auto fold = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    for (int i = 0; i < n; ++i)
        fa[static_cast<std::size_t>(i)] = fold(a[i]);
    for (int j = 0; j < m; ++j)
        fb[static_cast<std::size_t>(j)] = fold(b[j]);
    std::array<std::array<int, kSide>, kSide> d;
    const auto at
        = [&](int i, int j) -> int & { return d[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)]; };
    for (int i = 0; i <= n; ++i) {
        const int lo = std::max(0, i - limit);
        const int hi = std::min(m, i + limit);
        int rowBest = over;
        for (int j = lo; j <= hi; ++j) {
            int v = over;
            if (i == 0 || j == 0) {
                v = std::max(i, j);
            } else {
                const char ai = fa[static_cast<std::size_t>(i - 1)];
                const char bj = fb[static_cast<std::size_t>(j - 1)];
                v = at(i - 1, j - 1) + (ai == bj ? 0 : 1);
                if (j <= i - 1 + limit)  // the cell above is inside the band
                    v = std::min(v, at(i - 1, j) + 1);
                if (j - 1 >= lo)
                    v = std::min(v, at(i, j - 1) + 1);
                if (i > 1 && j > 1 && ai == fb[static_cast<std::size_t>(j - 2)]
                    && fa[static_cast<std::size_t>(i - 2)] == bj)
                    v = std::min(v, at(i - 2, j - 2) + 1);
            }
            at(i, j) = std::min(v, over);
            rowBest = std::min(rowBest, at(i, j));
        }
        if (rowBest > limit)
            return over;  // every later row is at least this far
    }
    return at(n, m);
}

// The known key closest to a mistyped one, or empty when nothing is plausibly meant.
QByteArray suggestionFor(const QByteArray &key)
{
    if (key.isEmpty() || key.size() > kMaxComparedLength)
        return {};
    // Only something that looks like an option name can be a typo of one; binary junk is not.
    const auto nameChar = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
            || c == '_' || c == '.';
    };
    if (!std::all_of(key.cbegin(), key.cend(), nameChar))
        return {};
    QByteArray best;
    int bestDistance = std::numeric_limits<int>::max();
    const auto consider = [&](const char *candidate) {
        const QByteArray c(candidate);
        const int allowed = c.size() >= 5 ? 2 : 1;
        const int dist = editDistance(key, c, allowed);
        if (dist <= allowed && dist < bestDistance) {
            bestDistance = dist;
            best = c;
        }
    };
    for (const char *k : kUsedKeys)
        consider(k);
    for (const char *k : kUnusedKeys)
        consider(k);
    return best;
}

// A decimal number as rpicam-apps' parsers accept it, minus what no camera setting means
// (hex, inf, nan, trailing text). Returns the length consumed (0: no number at the start).
qsizetype numberPrefix(const QByteArray &s)
{
    qsizetype i = 0;
    const qsizetype n = s.size();
    const auto isDigit = [&](qsizetype k) { return k < n && s[k] >= '0' && s[k] <= '9'; };
    if (i < n && (s[i] == '+' || s[i] == '-'))
        ++i;
    qsizetype digits = 0;
    while (isDigit(i)) {
        ++i;
        ++digits;
    }
    if (i < n && s[i] == '.') {
        ++i;
        while (isDigit(i)) {
            ++i;
            ++digits;
        }
    }
    if (digits == 0)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        qsizetype j = i + 1;
        if (j < n && (s[j] == '+' || s[j] == '-'))
            ++j;
        if (isDigit(j)) {
            while (isDigit(j))
                ++j;
            i = j;
        }
    }
    return i;
}

// A finite number that also fits rpicam-apps' float fields.
std::optional<double> parseNumber(const QByteArray &s)
{
    if (s.isEmpty() || numberPrefix(s) != s.size())
        return std::nullopt;
    bool ok = false;
    const double v = s.toDouble(&ok);
    if (!ok || !std::isfinite(v) || std::abs(v) > static_cast<double>(FLT_MAX))
        return std::nullopt;
    return v;
}

std::optional<qint64> parseInteger(const QByteArray &s)
{
    qsizetype i = (!s.isEmpty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    if (i == s.size() || s.size() - i > 12)
        return std::nullopt;
    for (qsizetype k = i; k < s.size(); ++k)
        if (s[k] < '0' || s[k] > '9')
            return std::nullopt;
    bool ok = false;
    const qint64 v = s.toLongLong(&ok);
    return ok ? std::optional<qint64>(v) : std::nullopt;
}

std::optional<bool> parseBool(const QByteArray &s)
{
    // Boost's bool validator: case-insensitive, and an empty value ("vflip=") means true.
    const QByteArray v = s.toLower();
    if (v.isEmpty() || v == "1" || v == "true" || v == "yes" || v == "on")
        return true;
    if (v == "0" || v == "false" || v == "no" || v == "off")
        return false;
    return std::nullopt;
}

// N comma-separated numbers ("1.5,1.2"), each trimmed as Boost trims a value.
template <std::size_t N> std::optional<std::array<double, N>> parseNumberList(const QByteArray &s)
{
    const QList<QByteArray> parts = s.split(',');
    if (parts.size() != qsizetype(N))
        return std::nullopt;
    std::array<double, N> v {};
    for (std::size_t i = 0; i < N; ++i) {
        const auto n = parseNumber(trimmed(parts[qsizetype(i)]));
        if (!n)
            return std::nullopt;
        v[i] = *n;
    }
    return v;
}

QString formatNumber(double v)
{
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

QString quoteList(const QStringList &words)
{
    return words.join(QStringLiteral(", "));
}

// "gain" or "analoggain": both set the analogue gain, so finish() decides which one applies.
struct GainOption {
    std::optional<double> value;
    bool seen = false;
    QString line;  // "line N" of the option
};

class Parser {
public:
    Parser(const CameraSettings &base, Diagnostics &diagnostics) : m_s(base), m_d(diagnostics) { }

    void parse(const QByteArray &text)
    {
        QByteArray prefix;
        qsizetype start = 0;
        int lineNumber = 0;
        while (start <= text.size()) {
            if (m_d.all().size() >= kMaxProblems) {
                m_d.error(QString(),
                    QStringLiteral(
                        "stopped reading after %1 problems: this does not look like an rpicam-apps "
                        "config file")
                        .arg(kMaxProblems));
                break;
            }
            qsizetype end = text.indexOf('\n', start);
            if (end < 0)
                end = text.size();
            ++lineNumber;
            m_path = QStringLiteral("line %1").arg(lineNumber);
            QByteArray line = text.mid(start, end - start);
            start = end + 1;
            if (lineNumber == 1 && line.startsWith("\xEF\xBB\xBF")) {
                m_d.warning(m_path,
                    QStringLiteral("the file starts with a UTF-8 byte-order mark; rpicam-apps reads it as "
                                   "part of the first key and refuses the file: save it without a BOM"));
                line.remove(0, 3);
            }
            if (const auto hash = line.indexOf('#'); hash >= 0)
                line.truncate(hash);
            line = trimmed(line);
            if (line.isEmpty())
                continue;
            if (line.startsWith('[') && line.endsWith(']')) {
                prefix = trimmed(line.mid(1, line.size() - 2));
                if (!prefix.endsWith('.'))
                    prefix += '.';
                m_d.warning(m_path,
                    QStringLiteral("section header '%1': rpicam-apps prefixes every later key with '%2' "
                                   "and then refuses it as unknown; remove the header")
                        .arg(shown(line), shown(prefix)));
                continue;
            }
            const auto eq = line.indexOf('=');
            if (eq < 0) {
                malformed(line);
                continue;
            }
            const QByteArray name = trimmed(line.left(eq));
            const QByteArray value = trimmed(line.mid(eq + 1));
            if (name.isEmpty()) {
                m_d.error(
                    m_path, QStringLiteral("'%1' has no key before '='; write key=value").arg(shown(line)));
                continue;
            }
            handle(prefix + name, value, lineNumber);
        }
        finish();
    }

    CameraSettings settings() const { return m_s; }

private:
    void malformed(const QByteArray &line)
    {
        // Command-line habits ("shutter 250000", "--vflip") are the usual cause: say the fix.
        const QByteArray word = withoutDashes(line);
        const auto space = word.indexOf(' ') >= 0 ? word.indexOf(' ') : word.indexOf('\t');
        const QByteArray head = space >= 0 ? word.left(space) : word;
        const QByteArray rest = space >= 0 ? trimmed(word.mid(space)) : QByteArray();
        QString hint;
        if (isOption(head))
            hint = QStringLiteral("; did you mean '%1=%2'?").arg(shown(head), shown(rest));
        m_d.error(m_path,
            QStringLiteral("malformed line '%1': no '='; rpicam-apps refuses a config file unless every "
                           "line is key=value (flags as 'key=' or 'key=true')%2")
                .arg(shown(line), hint));
    }

    void handle(const QByteArray &key, const QByteArray &value, int lineNumber)
    {
        const bool used = isKnown(key, kUsedKeys);
        if (!isOption(key)) {
            unknown(key);  // rpicam-apps stops at the first unknown key, before any duplicate check
            return;
        }
        if (key != "exif") {  // exif is rpicam-still's only multi-valued option
            if (const auto it = m_firstLine.constFind(key); it != m_firstLine.cend()) {
                m_d.error(m_path,
                    QStringLiteral("'%1' is set again (first on line %2); rpicam-apps refuses a file that "
                                   "sets a key twice: keep one line (ScopeSync used the first)")
                        .arg(shown(key))
                        .arg(*it));
                return;
            }
            m_firstLine.insert(key, lineNumber);
        }
        if (!used) {
            m_d.warning(m_path,
                QStringLiteral("'%1' is accepted by rpicam-apps but not used by ScopeSync; ignored")
                    .arg(shown(key)));
            return;
        }
        m_key = QString::fromLatin1(key);
        m_value = value;
        applyUsed(key);
    }

    void unknown(const QByteArray &key)
    {
        const QByteArray bare = withoutDashes(key);
        if (bare != key && isOption(bare)) {
            m_d.warning(m_path,
                QStringLiteral("unknown key '%1': a config file names options without the leading '--' "
                               "(rpicam-apps would refuse this line); did you mean '%2'?")
                    .arg(shown(key), shown(bare)));
            return;
        }
        // Suggestions cost a comparison with every known key; a file with dozens of unknown keys
        // is not a config file, and its later lines need no hints.
        QByteArray suggestion;
        if (m_suggestionsLeft > 0) {
            --m_suggestionsLeft;
            suggestion = suggestionFor(bare);
            if (suggestion.isEmpty() && bare.contains('.'))
                suggestion = suggestionFor(bare.mid(bare.lastIndexOf('.') + 1));
        }
        m_d.warning(m_path,
            suggestion.isEmpty()
                ? QStringLiteral("unknown key '%1' ignored; rpicam-apps would refuse this file")
                      .arg(shown(key))
                : QStringLiteral("unknown key '%1' ignored (rpicam-apps would refuse this file); did you "
                                 "mean '%2'?")
                      .arg(shown(key), shown(suggestion)));
    }

    void bad(const QString &expected)
    {
        m_d.error(m_path, QStringLiteral("%1: '%2' %3").arg(m_key, shown(m_value), expected));
    }

    std::optional<double> number(const QString &expected = QStringLiteral("is not a number"))
    {
        const auto v = parseNumber(m_value);
        if (!v)
            bad(expected);
        return v;
    }

    // A float rpicam-apps clamps: the clamped value is what the camera gets, so keep that.
    void clamped(double &field, double lo, double hi)
    {
        const auto v = number();
        if (!v)
            return;
        field = std::clamp(*v, lo, hi);
        if (field != *v)
            m_d.warning(m_path,
                QStringLiteral("%1: %2 is outside %3 … %4; rpicam-apps clamps it to %5")
                    .arg(m_key, formatNumber(*v), formatNumber(lo), formatNumber(hi), formatNumber(field)));
    }

    void boolean(bool &field)
    {
        if (const auto v = parseBool(m_value))
            field = *v;
        else
            bad(QStringLiteral("is not a boolean; use true or false (also 1/0, yes/no, on/off)"));
    }

    void count(int &field, int max)
    {
        const auto v = parseInteger(m_value);
        if (!v || *v < 0 || *v > max)
            bad(QStringLiteral("is not a whole number from 0 to %1 (0 = the app's default)").arg(max));
        else
            field = static_cast<int>(*v);
    }

    template <typename E>
    void word(E &field, std::optional<E> (*fromString)(const QString &), QStringList names)
    {
        if (const auto v = fromString(QString::fromUtf8(m_value)))
            field = *v;
        else
            bad(QStringLiteral("is not one of %1").arg(quoteList(names)));
    }

    void gain(GainOption &option)
    {
        option.line = m_path;
        option.seen = true;
        std::optional<double> &field = option.value;
        const auto v = number(QStringLiteral("is not a number; expected a fixed analogue gain such as 8.0"));
        if (!v)
            return;
        if (*v < 0) {
            bad(QStringLiteral("is out of range: the gain must be greater than 0 (e.g. 8.0)"));
        } else if (*v == 0) {
            // rpicam-apps' own default: 0 means "let the AGC choose", so honour it, but say so.
            field.reset();
            m_d.warning(m_path,
                QStringLiteral("%1=0 means automatic gain in rpicam-apps; set a fixed gain such as 8.0 for "
                               "comparable images")
                    .arg(m_key));
        } else {
            field = *v;
        }
    }

    void shutter()
    {
        const QString expected = QStringLiteral("is not a time; write µs (250000) or a number with a unit: "
                                                "min, s, sec, ms, us, ns (250ms, 0.25s)");
        const qsizetype numberLength = numberPrefix(m_value);
        if (numberLength == 0) {
            bad(expected);
            return;
        }
        const auto v = parseNumber(m_value.left(numberLength));
        if (!v) {
            bad(expected);
            return;
        }
        const QByteArray unit = m_value.mid(numberLength);
        // rpicam-apps' time parser multiplies by the unit that exactly ends the string; other text
        // is silently ignored, so "250 ms" would be 250 µs there. Refuse it rather than guess.
        static constexpr std::pair<const char *, double> kUnitsUs[] {
            {"min", 60e6}, {"s", 1e6}, {"sec", 1e6}, {"ms", 1e3}, {"us", 1.0}, {"", 1.0}, {"ns", 1e-3}};
        const auto *found = std::find_if(
            std::begin(kUnitsUs), std::end(kUnitsUs), [&](const auto &u) { return unit == u.first; });
        if (found == std::end(kUnitsUs)) {
            bad(QStringLiteral("has an unknown unit '%1' (rpicam-apps would ignore it and read %2 µs); "
                               "use min, s, sec, ms, us or ns with no space, e.g. 250ms")
                    .arg(shown(unit), formatNumber(*v)));
            return;
        }
        const double us = *v * found->second;
        if (us < 0) {
            bad(QStringLiteral("is out of range: the shutter must be positive"));
            return;
        }
        if (us == 0) {
            m_s.shutter.reset();
            m_d.warning(m_path,
                QStringLiteral("shutter=0 means automatic exposure in rpicam-apps; set a fixed exposure "
                               "such as 250000 (µs) for comparable images"));
            return;
        }
        if (us > static_cast<double>(kMaxShutter.count())) {
            bad(QStringLiteral("is out of range: at most 1 h (3600s)"));
            return;
        }
        // libcamera's ExposureTime is whole µs; round rather than truncate float noise (0.0001s).
        const auto rounded = static_cast<qint64>(std::llround(us));
        if (rounded < 1) {
            bad(QStringLiteral("is out of range: shorter than 1 µs, the camera's unit"));
            return;
        }
        m_s.shutter = microseconds(rounded);
    }

    void awbGains()
    {
        const auto gains = parseNumberList<2>(m_value);
        if (!gains) {
            bad(QStringLiteral("is not two numbers red,blue (e.g. 1.5,1.2)"));
            return;
        }
        const auto [red, blue] = *gains;
        if (red < 0 || blue < 0) {
            bad(QStringLiteral("is out of range: colour gains cannot be negative"));
            return;
        }
        if (red > 0 && blue > 0) {
            m_s.awbGains = AwbGains {red, blue};
            return;
        }
        m_s.awbGains.reset();
        if (red > 0 || blue > 0)
            m_d.warning(m_path,
                QStringLiteral("awbgains: '%1' has one zero gain; rpicam-apps ignores awbgains unless both "
                               "are non-zero, so white balance stays automatic")
                    .arg(shown(m_value)));
    }

    void roi()
    {
        const auto parsed = parseNumberList<4>(m_value);
        if (!parsed) {
            bad(QStringLiteral("is not x,y,width,height as fractions of the sensor (e.g. 0.25,0.25,0.5,0.5); "
                               "rpicam-apps would silently ignore it"));
            return;
        }
        const std::array<double, 4> &v = *parsed;
        if (std::any_of(v.begin(), v.end(), [](double f) { return f < 0 || f > 1; })) {
            bad(QStringLiteral("is out of range: each value is a fraction from 0 to 1"));
            return;
        }
        constexpr double kSlack = 1e-9;  // 0.1 + 0.9 need not be exactly 1 in binary
        if (v[0] + v[2] > 1 + kSlack || v[1] + v[3] > 1 + kSlack) {
            bad(QStringLiteral("is out of range: the region extends past the sensor (x + width and "
                               "y + height must be at most 1)"));
            return;
        }
        if (v[2] == 0 || v[3] == 0)
            m_s.roi.reset();  // rpicam-apps' "0,0,0,0": no digital zoom
        else
            m_s.roi = Roi {v[0], v[1], v[2], v[3]};
    }

    void mode()
    {
        if (m_value.isEmpty()) {
            m_s.sensorMode.reset();
            return;
        }
        const QString expected = QStringLiteral("is not W:H:bit-depth:P|U (e.g. 4056:3040:12:P)");
        const QList<QByteArray> parts = m_value.split(':');
        if (parts.size() < 2 || parts.size() > 4) {
            bad(expected);
            return;
        }
        SensorModeRequest m;
        const auto w = parseInteger(parts[0]);
        const auto h = parseInteger(parts[1]);
        if (!w || !h || parts[0].startsWith('-') || parts[1].startsWith('-')) {
            bad(expected);
            return;
        }
        if (*w < 1 || *h < 1 || *w > kMaxDimension || *h > kMaxDimension) {
            bad(QStringLiteral("is out of range: width and height are 1 … %1 pixels").arg(kMaxDimension));
            return;
        }
        m.width = static_cast<int>(*w);
        m.height = static_cast<int>(*h);
        if (parts.size() >= 3) {
            const auto bits = parseInteger(parts[2]);
            if (!bits || (*bits != 8 && *bits != 10 && *bits != 12 && *bits != 16)) {
                bad(QStringLiteral("has bit depth '%1'; expected 8, 10, 12 or 16").arg(shown(parts[2])));
                return;
            }
            m.bitDepth = static_cast<int>(*bits);
        }
        if (parts.size() == 4) {
            const QByteArray p = parts[3].toUpper();
            if (p != "P" && p != "U") {
                bad(QStringLiteral("has packing '%1'; expected P (packed) or U (unpacked)")
                        .arg(shown(parts[3])));
                return;
            }
            m.packed = p == "P";
        }
        m_s.sensorMode = m;
    }

    void framerate()
    {
        const auto v = number(QStringLiteral("is not a number; expected frames per second such as 10"));
        if (!v)
            return;
        if (*v <= 0) {
            bad(QStringLiteral("is out of range: the framerate must be greater than 0"));
            return;
        }
        m_s.framerateFps = *v;
    }

    void rotation()
    {
        const auto v = parseInteger(m_value);
        if (v && (*v == 0 || *v == 180)) {
            m_s.rotationDeg = static_cast<int>(*v);
            return;
        }
        if (v && (*v == 90 || *v == 270))
            bad(QStringLiteral("is not supported: rpicam-apps refuses rotations that transpose the image; "
                               "use 0 or 180 (with hflip/vflip)"));
        else
            bad(QStringLiteral("is not 0 or 180"));
    }

    void tuningFile()
    {
        const QString path = QString::fromUtf8(m_value);
        if (std::any_of(
                path.cbegin(), path.cend(), [](QChar c) { return c.unicode() < 0x20 || c == u'\x7f'; })) {
            bad(QStringLiteral("contains control characters; expected a file path"));
            return;
        }
        // "-" is rpicam-apps' own default: libcamera's tuning for the detected sensor.
        m_s.tuningFile = path == QStringLiteral("-") ? QString() : path;
    }

    void applyUsed(const QByteArray &key)
    {
        using Apply = void (*)(Parser &);
        static const QHash<QByteArray, Apply> kApply {
            {"shutter", [](Parser &p) { p.shutter(); }},
            {"gain", [](Parser &p) { p.gain(p.m_gain); }},
            {"analoggain", [](Parser &p) { p.gain(p.m_analogGain); }},
            {"awb", [](Parser &p) { p.word(p.m_s.awbMode, &awbModeFromString, awbModeNames()); }},
            {"awbgains", [](Parser &p) { p.awbGains(); }},
            {"denoise", [](Parser &p) { p.word(p.m_s.denoise, &denoiseFromString, denoiseNames()); }},
            {"brightness", [](Parser &p) { p.clamped(p.m_s.brightness, -1.0, 1.0); }},
            {"contrast", [](Parser &p) { p.clamped(p.m_s.contrast, 0.0, kMaxPictureAdjust); }},
            {"saturation", [](Parser &p) { p.clamped(p.m_s.saturation, 0.0, kMaxPictureAdjust); }},
            {"sharpness", [](Parser &p) { p.clamped(p.m_s.sharpness, 0.0, kMaxPictureAdjust); }},
            {"ev", [](Parser &p) { p.m_s.ev = p.number().value_or(p.m_s.ev); }},
            {"exposure",
                [](Parser &p) { p.word(p.m_s.exposureMode, &exposureModeFromString, exposureModeNames()); }},
            {"metering",
                [](Parser &p) { p.word(p.m_s.metering, &meteringModeFromString, meteringModeNames()); }},
            {"hflip", [](Parser &p) { p.boolean(p.m_s.hflip); }},
            {"vflip", [](Parser &p) { p.boolean(p.m_s.vflip); }},
            {"rotation", [](Parser &p) { p.rotation(); }},
            {"roi", [](Parser &p) { p.roi(); }},
            {"mode", [](Parser &p) { p.mode(); }},
            {"framerate", [](Parser &p) { p.framerate(); }},
            {"width", [](Parser &p) { p.count(p.m_s.width, kMaxDimension); }},
            {"height", [](Parser &p) { p.count(p.m_s.height, kMaxDimension); }},
            {"tuning-file", [](Parser &p) { p.tuningFile(); }},
            {"buffer-count", [](Parser &p) { p.count(p.m_s.bufferCount, kMaxBufferCount); }},
        };
        Q_ASSERT(kApply.size() == qsizetype(kUsedKeys.size()) && kApply.contains(key));
        kApply.value(key)(*this);
    }

    void finish()
    {
        // rpicam-apps stores both options in one variable and Boost notifies them in name order,
        // so "gain" always lands after "analoggain" whatever the line order.
        if (m_gain.seen) {
            m_s.analogueGain = m_gain.value;
            if (m_analogGain.seen)
                m_d.warning(m_analogGain.line,
                    QStringLiteral("'analoggain' is overridden by 'gain' (%1): rpicam-apps applies 'gain'; "
                                   "keep only one of them")
                        .arg(m_gain.line));
        } else if (m_analogGain.seen) {
            m_s.analogueGain = m_analogGain.value;
        }

        for (const auto &issue : m_s.fixedIssues()) {
            QString path;
            const auto lineOf = [&](const char *key) {
                const auto it = m_firstLine.constFind(QByteArray(key));
                return it == m_firstLine.cend() ? QString() : QStringLiteral("line %1").arg(*it);
            };
            if (issue.key == QLatin1String("gain"))
                path = !lineOf("gain").isEmpty() ? lineOf("gain") : lineOf("analoggain");
            else if (issue.key == QLatin1String("awbgains"))
                path = !lineOf("awbgains").isEmpty() ? lineOf("awbgains") : lineOf("awb");
            else
                path = lineOf(issue.key.toLatin1().constData());
            m_d.warning(path, QStringLiteral("not a fixed-parameter run: ") + issue.message);
        }
    }

    CameraSettings m_s;
    Diagnostics &m_d;
    QHash<QByteArray, int> m_firstLine;  // key → line of its first occurrence
    QString m_path;  // "line N" of the line being handled
    QString m_key;
    QByteArray m_value;
    GainOption m_gain;
    GainOption m_analogGain;
    int m_suggestionsLeft = 20;
};

}  // namespace

ConfigReadResult readRpicamConfig(const QByteArray &text, const CameraSettings &base)
{
    ConfigReadResult result;
    Parser parser(base, result.diagnostics);
    parser.parse(text);
    result.settings = parser.settings();
    return result;
}

ConfigReadResult readRpicamConfigFile(const QString &path, const CameraSettings &base)
{
    ConfigReadResult result {base, {}};
    // Read once, through the bounded reader: a device (a camera node, /dev/zero) is refused unread.
    auto bytes = BoundedFileReader::read(path, kMaxRpicamConfigBytes, QStringLiteral("camera config"));
    if (!bytes.ok()) {
        result.diagnostics.error(path, bytes.error().message);
        return result;
    }
    return readRpicamConfig(*bytes, base);
}

QByteArray writeRpicamConfig(const CameraSettings &s)
{
    QStringList lines;
    lines << QStringLiteral("# rpicam-apps camera settings: rpicam-still -c FILE or rpicam-vid -c FILE");
    const auto put
        = [&](const char *key, const QString &value) { lines << QString::fromLatin1(key) + u'=' + value; };
    const auto flag = [](bool b) { return b ? QStringLiteral("true") : QStringLiteral("false"); };
    // Plain µs: understood by rpicam-apps and by the older libcamera-apps, whose shutter had no units.
    if (s.shutter)
        put("shutter", QString::number(s.shutter->count()));
    if (s.analogueGain)
        put("gain", formatNumber(*s.analogueGain));
    put("awb", toString(s.awbMode));
    if (s.awbGains)
        put("awbgains", formatNumber(s.awbGains->red) + u',' + formatNumber(s.awbGains->blue));
    put("denoise", toString(s.denoise));
    put("brightness", formatNumber(s.brightness));
    put("contrast", formatNumber(s.contrast));
    put("saturation", formatNumber(s.saturation));
    put("sharpness", formatNumber(s.sharpness));
    put("ev", formatNumber(s.ev));
    put("exposure", toString(s.exposureMode));
    put("metering", toString(s.metering));
    put("hflip", flag(s.hflip));
    put("vflip", flag(s.vflip));
    put("rotation", QString::number(s.rotationDeg));
    if (s.roi)
        put("roi",
            QStringList {formatNumber(s.roi->x), formatNumber(s.roi->y), formatNumber(s.roi->width),
                formatNumber(s.roi->height)}
                .join(u','));
    if (s.sensorMode)
        put("mode",
            QStringLiteral("%1:%2:%3:%4")
                .arg(s.sensorMode->width)
                .arg(s.sensorMode->height)
                .arg(s.sensorMode->bitDepth)
                .arg(s.sensorMode->packed ? QStringLiteral("P") : QStringLiteral("U")));
    if (s.framerateFps)
        put("framerate", formatNumber(*s.framerateFps));
    if (s.width != 0)
        put("width", QString::number(s.width));
    if (s.height != 0)
        put("height", QString::number(s.height));
    if (!s.tuningFile.isEmpty()) {
        // '#' would start a comment and a line break would end the value: such a path cannot be
        // written, and leaving it out keeps the file loadable (libcamera's default tuning).
        if (s.tuningFile.contains(u'#') || s.tuningFile.contains(u'\n') || s.tuningFile.contains(u'\r')
            || s.tuningFile != s.tuningFile.trimmed())
            lines << QStringLiteral("# tuning-file left out: its path cannot be written in this format");
        else
            put("tuning-file", s.tuningFile);
    }
    if (s.bufferCount != 0)
        put("buffer-count", QString::number(s.bufferCount));
    return lines.join(u'\n').toUtf8() + '\n';
}

}  // namespace scopesync::core::camera
