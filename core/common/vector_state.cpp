// clearUpperVectorState: VZEROUPPER where the CPU has AVX.
#include "core/common/vector_state.h"

namespace scopesync::core {

#if defined(__x86_64__) || defined(__i386__)
namespace {
bool cpuHasAvx()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx") != 0;
}
}  // namespace

void clearUpperVectorState()
{
    static const bool avx = cpuHasAvx();
    if (avx)
        asm volatile("vzeroupper" ::
                         : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
                     "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}
#else
void clearUpperVectorState()
{
}
#endif

}  // namespace scopesync::core
