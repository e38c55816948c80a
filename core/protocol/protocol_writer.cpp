// ProtocolWriter: writes a protocol in the native ScopeSync JSON format (see native_protocol_reader.h).
#include "core/protocol/protocol_writer.h"

#include "core/protocol/native_protocol_reader.h"

#include <QLocale>
#include <QSaveFile>

#include <cmath>

namespace scopesync::core::protocol {

namespace {

// QJsonDocument sorts keys alphabetically; a hand-ordered writer puts "type" and "label" first, which
// is what a person editing the file expects to see.
class Emitter {
public:
    QByteArray take() { return std::move(m_out); }

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }

    void key(const char *name)
    {
        separate();
        m_out += '"';
        m_out += name;
        m_out += "\": ";
        m_afterKey = true;
    }

    void string(const QString &text)
    {
        value();
        m_out += '"';
        for (qsizetype i = 0; i < text.size(); ++i) {
            const QChar c = text.at(i);
            const char16_t u = c.unicode();
            switch (u) {
            case u'"': m_out += "\\\""; break;
            case u'\\': m_out += "\\\\"; break;
            case u'\n': m_out += "\\n"; break;
            case u'\r': m_out += "\\r"; break;
            case u'\t': m_out += "\\t"; break;
            default:
                if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
                    m_out += text.mid(i, 2).toUtf8();
                    ++i;
                } else if (u < 0x20 || c.isSurrogate()) {
                    // Control characters and lone surrogates (valid in JSON, not in UTF-8) as escapes.
                    m_out += "\\u" + QByteArray::number(int(u), 16).rightJustified(4, '0');
                } else {
                    m_out += QString(c).toUtf8();
                }
            }
        }
        m_out += '"';
    }

    void raw(const QByteArray &number)
    {
        value();
        m_out += number;
    }

private:
    void value()
    {
        if (m_afterKey)
            m_afterKey = false;
        else
            separate();
    }

    void separate()
    {
        if (!m_first.empty()) {
            if (!m_first.back())
                m_out += ',';
            m_first.back() = false;
            newline();
        }
    }

    void open(char bracket)
    {
        value();
        m_out += bracket;
        m_first.push_back(true);
    }

    void close(char bracket)
    {
        const bool empty = m_first.back();
        m_first.pop_back();
        if (!empty)
            newline();
        m_out += bracket;
    }

    void newline()
    {
        m_out += '\n';
        m_out += QByteArray(qsizetype(m_first.size()) * 2, ' ');
    }

    QByteArray m_out;
    std::vector<bool> m_first;  // per open container: nothing written in it yet
    bool m_afterKey = false;
};

// Microseconds as milliseconds with up to three decimals, exactly (no binary rounding).
QByteArray microsAsMs(std::chrono::microseconds us)
{
    const qint64 count = us.count();
    const qint64 whole = count / 1000;
    qint64 frac = std::abs(count % 1000);
    QByteArray text = (count < 0 && whole == 0 ? QByteArray("-") : QByteArray()) + QByteArray::number(whole);
    if (frac != 0) {
        QByteArray digits = QByteArray::number(frac).rightJustified(3, '0');
        while (digits.endsWith('0'))
            digits.chop(1);
        text += '.' + digits;
    }
    return text;
}

QByteArray number(double value)
{
    if (!std::isfinite(value))
        return "null";  // not representable in JSON; the reader reports it
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

void writeFlashes(Emitter &e, const std::vector<Flash> &flashes)
{
    e.key("flashes");
    e.beginArray();
    for (const Flash &f : flashes) {
        e.beginObject();
        e.key("led");
        e.string(f.led);
        e.key("duration_ms");
        e.raw(microsAsMs(f.duration));
        if (f.intensityPerMille != 1000) {
            e.key("intensity_per_mille");
            e.raw(QByteArray::number(f.intensityPerMille));
        }
        e.endObject();
    }
    e.endArray();
}

// Recursion depth is the protocol's group nesting, which the reader and validator bound.
void writeSteps(Emitter &e, const std::vector<Step> &steps)
{
    e.beginArray();
    for (const Step &s : steps) {
        e.beginObject();
        e.key("type");
        e.string(stepKindName(s.kind));
        e.key("label");
        e.string(s.label);
        switch (s.kind) {
        case StepKind::Group:
            e.key("iterations");
            e.raw(QByteArray::number(s.iterations));
            e.key("steps");
            writeSteps(e, s.children);
            break;
        case StepKind::Image:
            if (!s.filter.isEmpty()) {
                e.key("filter");
                e.string(s.filter);
            }
            writeFlashes(e, s.flashes);
            break;
        case StepKind::Wait:
            e.key("duration_ms");
            e.raw(QByteArray::number(qint64(s.duration.count())));
            break;
        case StepKind::SetTemperature:
            e.key("kelvin");
            e.raw(number(s.temperatureKelvin));
            break;
        case StepKind::Illuminate:
            if (!s.filter.isEmpty()) {
                e.key("filter");
                e.string(s.filter);
            }
            writeFlashes(e, s.flashes);
            e.key("duration_ms");
            e.raw(QByteArray::number(qint64(s.duration.count())));
            if (s.capturePeriod) {
                e.key("capture_period_ms");
                e.raw(QByteArray::number(qint64(s.capturePeriod->count())));
            }
            break;
        }
        e.endObject();
    }
    e.endArray();
}

}  // namespace

QByteArray ProtocolWriter::toJson(const Protocol &protocol)
{
    Emitter e;
    e.beginObject();
    e.key("format");
    e.string(QString::fromLatin1(NativeProtocolReader::kFormatName));
    e.key("version");
    e.raw(QByteArray::number(Protocol::kFormatVersion));
    e.key("name");
    e.string(protocol.name);
    e.key("description");
    e.string(protocol.description);
    e.key("steps");
    writeSteps(e, protocol.steps);
    e.endObject();
    QByteArray out = e.take();
    out += '\n';
    return out;
}

Status ProtocolWriter::writeFile(const Protocol &protocol, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error {QStringLiteral("cannot write the protocol: %1").arg(file.errorString()), path};
    const QByteArray bytes = toJson(protocol);
    if (file.write(bytes) != bytes.size())
        return Error {QStringLiteral("cannot write the protocol: %1").arg(file.errorString()), path};
    if (!file.commit())
        return Error {QStringLiteral("cannot save the protocol: %1").arg(file.errorString()), path};
    return Ok {};
}

}  // namespace scopesync::core::protocol
