# Compiler flags shared by every ScopeSync target.
add_library(scopesync_options INTERFACE)
target_compile_definitions(scopesync_options INTERFACE
  QT_NO_KEYWORDS
  QT_DISABLE_DEPRECATED_BEFORE=0x060400)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(scopesync_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wconversion -Wno-sign-conversion)
  if(SCOPESYNC_WERROR)
    target_compile_options(scopesync_options INTERFACE -Werror)
  endif()
endif()
