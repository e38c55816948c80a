# Cross-compiling for the Raspberry Pi's arm64 on a Debian 12 host: Debian's aarch64-linux-gnu toolchain,
# the arm64 (multiarch) -dev packages, the host's Qt tools, and tests run under qemu-user.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(_triplet aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${_triplet}-gcc)
set(CMAKE_CXX_COMPILER ${_triplet}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${_triplet})

# Multiarch libraries live beside the host's under /usr, so the root is / and CMake searches the arm64
# library directory (lib/aarch64-linux-gnu) only; programs (moc, rcc, lrelease) are the host's.
set(CMAKE_FIND_ROOT_PATH /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config reads the arm64 .pc files only.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${_triplet}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# Qt's cross build takes moc, rcc, uic and the Linguist tools from the host's Qt 6 (qt6-base-dev-tools).
if(NOT QT_HOST_PATH)
  set(QT_HOST_PATH /usr CACHE PATH "Prefix of the host's Qt 6 tools")
endif()

# add_test runs every test binary through the emulator. No -L prefix: the programs must load the multiarch
# loader (/lib/ld-linux-aarch64.so.1, from libc6:arm64) beside the multiarch libc. The cross toolchain's copy
# under /usr/aarch64-linux-gnu is an older Debian revision of glibc; its loader with the newer libc shares a
# private structure of a different layout, and the first pthread_create (liblttng-ust's, in its constructor,
# pulled in by libcamera) then loops for ever walking the stack cache.
find_program(SCOPESYNC_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64 REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${SCOPESYNC_QEMU_AARCH64})
