// Which sanitizer this translation unit is built with, for code that must act on it: SCOPESYNC_UNDER_TSAN is
// defined under ThreadSanitizer (GCC's __SANITIZE_THREAD__, clang's __has_feature(thread_sanitizer)).
#pragma once

#if defined(__SANITIZE_THREAD__)
#define SCOPESYNC_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SCOPESYNC_UNDER_TSAN 1
#endif
#endif
