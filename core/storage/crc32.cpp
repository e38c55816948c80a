// Crc32: reflected CRC-32 (polynomial 0xEDB88320) by PCLMULQDQ folding, ARMv8 CRC32 or slice-by-8 tables.
#include "core/storage/crc32.h"

#include "core/common/vector_state.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SCOPESYNC_CRC_PCLMUL 1
#include <immintrin.h>
#endif
#if defined(__aarch64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__))
#define SCOPESYNC_CRC_ARM 1
#include <arm_acle.h>
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#include <asm/hwcap.h>
#endif
#endif

namespace scopesync::core::storage {

namespace {

using Tables = std::array<std::array<quint32, 256>, 8>;

constexpr Tables makeTables()
{
    Tables t {};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1u) ? (0xEDB88320u ^ (c >> 1)) : (c >> 1);
        t[0][i] = c;
    }
    for (std::size_t s = 1; s < 8; ++s)
        for (std::size_t i = 0; i < 256; ++i)
            t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFFu];
    return t;
}

constexpr Tables kTables = makeTables();

quint32 updateTable(quint32 c, const unsigned char *p, std::size_t size)
{
    // The 8-byte step reads little-endian words; on a big-endian host the byte loop below does all the work.
    if constexpr (Q_BYTE_ORDER == Q_LITTLE_ENDIAN) {
        while (size >= 8) {
            quint32 lo = 0;
            quint32 hi = 0;
            std::memcpy(&lo, p, 4);
            std::memcpy(&hi, p + 4, 4);
            lo ^= c;
            c = kTables[7][lo & 0xFFu] ^ kTables[6][(lo >> 8) & 0xFFu] ^ kTables[5][(lo >> 16) & 0xFFu]
                ^ kTables[4][lo >> 24] ^ kTables[3][hi & 0xFFu] ^ kTables[2][(hi >> 8) & 0xFFu]
                ^ kTables[1][(hi >> 16) & 0xFFu] ^ kTables[0][hi >> 24];
            p += 8;
            size -= 8;
        }
    }
    while (size-- > 0)
        c = kTables[0][(c ^ *p++) & 0xFFu] ^ (c >> 8);
    return c;
}

#ifdef SCOPESYNC_CRC_PCLMUL
// Folding (Gopal et al., "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ Instruction", Intel
// 2009), derived here for the bit-reflected register. A 16-byte block loaded little-endian holds, in bit i,
// the coefficient of x^(127-i) of its piece of the message: the low 64-bit lane H is the high half, the
// high lane L the low half. A block D bits before another contributes (H·x^64 + L)·x^D, congruent mod P to
// H·(x^(D+64) mod P) + L·(x^D mod P), a polynomial of degree < 96 that lands on the later block. On
// reflected operands a carry-less product comes out multiplied by x, so the constants are x^(D+63) and
// x^(D-1) mod P; a degree < 32 remainder r is stored with x^j in bit 63-j of its lane.
constexpr quint64 reflectedRemainder(int n)
{
    quint32 r = 1;  // x^0, normal bit order: bit j = x^j
    for (int i = 0; i < n; ++i)
        r = (r & 0x80000000u) ? (r << 1) ^ 0x04C11DB7u : (r << 1);
    quint64 out = 0;
    for (int j = 0; j < 32; ++j)
        if (r & (1u << j))
            out |= quint64(1) << (63 - j);
    return out;
}

constexpr quint64 kFold512Hi = reflectedRemainder(512 + 63);
constexpr quint64 kFold512Lo = reflectedRemainder(512 - 1);
constexpr quint64 kFold128Hi = reflectedRemainder(128 + 63);
constexpr quint64 kFold128Lo = reflectedRemainder(128 - 1);

__attribute__((target("pclmul,sse2"))) inline __m128i fold(__m128i block, __m128i constants, __m128i later)
{
    const __m128i hi = _mm_clmulepi64_si128(block, constants, 0x00);
    const __m128i lo = _mm_clmulepi64_si128(block, constants, 0x11);
    return _mm_xor_si128(_mm_xor_si128(hi, lo), later);
}

__attribute__((target("pclmul,sse2"))) quint32 updatePclmul(
    quint32 c, const unsigned char *p, std::size_t size)
{
    if (size < 64)
        return updateTable(c, p, size);
    const auto load = [](const unsigned char *q) {
        return _mm_loadu_si128(reinterpret_cast<const __m128i *>(q));  // NOLINT: unaligned load of bytes
    };
    // The running state enters as the first four message bytes XORed with it, as in the table loop.
    __m128i x0 = _mm_xor_si128(load(p), _mm_cvtsi32_si128(int(c)));
    __m128i x1 = load(p + 16);
    __m128i x2 = load(p + 32);
    __m128i x3 = load(p + 48);
    p += 64;
    size -= 64;
    const __m128i k512 = _mm_set_epi64x(qint64(kFold512Lo), qint64(kFold512Hi));
    while (size >= 64) {
        x0 = fold(x0, k512, load(p));
        x1 = fold(x1, k512, load(p + 16));
        x2 = fold(x2, k512, load(p + 32));
        x3 = fold(x3, k512, load(p + 48));
        p += 64;
        size -= 64;
    }
    const __m128i k128 = _mm_set_epi64x(qint64(kFold128Lo), qint64(kFold128Hi));
    __m128i x = fold(x0, k128, x1);
    x = fold(x, k128, x2);
    x = fold(x, k128, x3);
    while (size >= 16) {
        x = fold(x, k128, load(p));
        p += 16;
        size -= 16;
    }
    // The folded block is congruent to everything read so far: its CRC from a zero state is theirs.
    alignas(16) unsigned char rest[16];
    _mm_store_si128(reinterpret_cast<__m128i *>(rest), x);  // NOLINT: aligned store
    return updateTable(updateTable(0, rest, 16), p, size);
}

bool hasPclmul()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("pclmul") != 0;
}
#endif

#ifdef SCOPESYNC_CRC_ARM
// GCC's arm_acle.h declares the intrinsics for functions with the "+crc" target; clang's only when the whole
// file is built for it, so clang calls its builtins, and clang 14 spells the feature without the "+".
#ifdef __clang__
#define SCOPESYNC_CRC32D __builtin_arm_crc32d
#define SCOPESYNC_CRC32B __builtin_arm_crc32b
#define SCOPESYNC_CRC_TARGET "crc"
#else
#define SCOPESYNC_CRC32D __crc32d
#define SCOPESYNC_CRC32B __crc32b
#define SCOPESYNC_CRC_TARGET "+crc"
#endif

__attribute__((target(SCOPESYNC_CRC_TARGET))) quint32 updateArmCrc(
    quint32 c, const unsigned char *p, std::size_t size)
{
    while (size >= 8) {
        quint64 v = 0;
        std::memcpy(&v, p, 8);
        c = SCOPESYNC_CRC32D(c, v);
        p += 8;
        size -= 8;
    }
    while (size-- > 0)
        c = SCOPESYNC_CRC32B(c, *p++);
    return c;
}

bool hasArmCrc()
{
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0;
}
#endif

Crc32::Kernel detectKernel()
{
#ifdef SCOPESYNC_CRC_PCLMUL
    if (hasPclmul())
        return Crc32::Kernel::Pclmul;
#endif
#ifdef SCOPESYNC_CRC_ARM
    if (hasArmCrc())
        return Crc32::Kernel::ArmCrc;
#endif
    return Crc32::Kernel::Table;
}

}  // namespace

Crc32::Kernel Crc32::kernel()
{
    static const Kernel chosen = detectKernel();
    return chosen;
}

bool Crc32::supported(Kernel k)
{
    switch (k) {
    case Kernel::Table: return true;
    case Kernel::Pclmul:
#ifdef SCOPESYNC_CRC_PCLMUL
        return hasPclmul();
#else
        return false;
#endif
    case Kernel::ArmCrc:
#ifdef SCOPESYNC_CRC_ARM
        return hasArmCrc();
#else
        return false;
#endif
    }
    return false;
}

const char *Crc32::kernelName(Kernel k)
{
    switch (k) {
    case Kernel::Table: return "slice-by-8 table";
    case Kernel::Pclmul: return "PCLMULQDQ folding";
    case Kernel::ArmCrc: return "ARMv8 CRC32";
    }
    return "?";
}

quint32 Crc32::update(Kernel k, quint32 state, const void *data, std::size_t size)
{
    core::clearUpperVectorState();
    Q_ASSERT(supported(k));
    const auto *p = static_cast<const unsigned char *>(data);
    switch (k) {
    case Kernel::Table: break;
    case Kernel::Pclmul:
#ifdef SCOPESYNC_CRC_PCLMUL
        return updatePclmul(state, p, size);
#else
        break;
#endif
    case Kernel::ArmCrc:
#ifdef SCOPESYNC_CRC_ARM
        return updateArmCrc(state, p, size);
#else
        break;
#endif
    }
    return updateTable(state, p, size);
}

void Crc32::add(const void *data, std::size_t size)
{
    m_state = update(kernel(), m_state, data, size);
}

quint32 Crc32::of(const void *data, std::size_t size)
{
    Crc32 crc;
    crc.add(data, size);
    return crc.value();
}

}  // namespace scopesync::core::storage
