// Crc32: the CRC-32 of zlib, gzip and PNG, computed incrementally while a file is written.
#pragma once

#include <QtGlobal>

#include <cstddef>

namespace scopesync::core::storage {

// Why CRC-32 and not SHA-256: Qt's SHA-256 runs at ~120 MB/s here, slower than the disk, while a
// full-resolution frame arrives every 100 ms (247 MB/s). The manifest's checksum guards against torn or
// corrupted files, not against tampering, and anyone can check it (`python3 -c "import zlib; ..."`).
class Crc32 {
public:
    // How the bytes are folded in. The fastest one the CPU has is chosen once, at first use; every one
    // gives the same value.
    enum class Kernel {
        Table,  // slice-by-8 tables: any CPU
        Pclmul,  // x86-64 carry-less multiply folding (PCLMULQDQ), 64 bytes per step
        ArmCrc,  // ARMv8 CRC32 instructions (crc32x), 8 bytes per instruction
    };

    void add(const void *data, std::size_t size);
    [[nodiscard]] quint32 value() const { return ~m_state; }

    static quint32 of(const void *data, std::size_t size);

    // The kernel add() uses on this CPU, and whether a given one can run here.
    static Kernel kernel();
    static bool supported(Kernel kernel);
    static const char *kernelName(Kernel kernel);
    // One step with a chosen kernel (it must be supported): the running state (not inverted) after `data`.
    static quint32 update(Kernel kernel, quint32 state, const void *data, std::size_t size);

private:
    quint32 m_state = 0xFFFFFFFFu;
};

}  // namespace scopesync::core::storage
