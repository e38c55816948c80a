# Install rules and the CPack Debian package: binary, samples, desktop entry, man page, kiosk unit,
# udev rule, real-time limits. `cpack -G DEB` in the build tree writes package/scopesync_*.deb.
include(GNUInstallDirs)

set(_pkg ${PROJECT_SOURCE_DIR}/packaging)
set(SCOPESYNC_PACKAGE_MAINTAINER "ScopeSync maintainers <scopesync@users.noreply.github.com>"
  CACHE STRING "Maintainer field of the Debian package")
set(SCOPESYNC_PACKAGE_RELEASE 1 CACHE STRING "Debian revision of the package (the -N in 0.1.0-N)")
option(SCOPESYNC_INSTALL_SYSTEM_FILES
  "Install the udev rule into /lib/udev and the limits drop-in into /etc (absolute paths, as the .deb needs)"
  ON)

# --- data: sample protocols, rig files, camera configs --------------------------------------------------
# Translations need no rule: they are compiled into the binary as Qt resources.
set(_data ${CMAKE_INSTALL_DATADIR}/scopesync)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/protocols/ DESTINATION ${_data}/protocols)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/camera/ DESTINATION ${_data}/camera)
# Rig files when there are any (an empty folder would be an empty directory in the package).
file(GLOB _rig_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/resources/rigs/*)
if(_rig_files)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/rigs/ DESTINATION ${_data}/rigs)
endif()

# --- desktop integration ----------------------------------------------------------------------------------
install(FILES ${_pkg}/scopesync.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${_pkg}/icons/scopesync.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
# A systemd user unit lives in <prefix>/lib/systemd/user (not the multiarch libdir).
install(FILES ${_pkg}/systemd/scopesync-kiosk.service DESTINATION lib/systemd/user)
# The fleet follower is a system unit (headless, runs without a login).
install(FILES ${_pkg}/systemd/scopesync-follow.service DESTINATION lib/systemd/system)

# --- man page, generated from the built binary's --help texts so it never drifts ---------------------------
find_package(Python3 COMPONENTS Interpreter)
find_program(SCOPESYNC_GZIP gzip)
# A cross build runs the binary through its emulator (the toolchain file's CMAKE_CROSSCOMPILING_EMULATOR).
set(_emulator)
if(CMAKE_CROSSCOMPILING)
  set(_emulator ${CMAKE_CROSSCOMPILING_EMULATOR})
endif()
if(Python3_Interpreter_FOUND AND SCOPESYNC_GZIP AND (NOT CMAKE_CROSSCOMPILING OR _emulator))
  set(_man ${CMAKE_CURRENT_BINARY_DIR}/packaging/scopesync.1)
  add_custom_command(OUTPUT ${_man} ${_man}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/packaging
    COMMAND Python3::Interpreter ${_pkg}/make_manpage.py $<TARGET_FILE:scopesync> ${_pkg}/debian/changelog
      ${_man} ${_emulator}
    # -n: no name or time stamp in the header, so the same page gives the same bytes.
    COMMAND ${SCOPESYNC_GZIP} -9nf -k ${_man}
    DEPENDS scopesync ${_pkg}/make_manpage.py ${_pkg}/debian/changelog
    COMMENT "Generating the scopesync(1) man page from --help"
    VERBATIM)
  add_custom_target(scopesync_manpage ALL DEPENDS ${_man}.gz)
  install(FILES ${_man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(WARNING "scopesync(1) will not be generated: it needs python3 and gzip, and a native build or an emulator")
endif()

# --- Debian documentation: changelog and copyright, compressed as Debian policy wants ----------------------
set(_doc ${CMAKE_INSTALL_DATADIR}/doc/scopesync)
set(_changelog_gz ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.Debian.gz)
add_custom_command(OUTPUT ${_changelog_gz}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/packaging
  COMMAND sh -c "${SCOPESYNC_GZIP} -9nc '${_pkg}/debian/changelog' > '${_changelog_gz}'"
  DEPENDS ${_pkg}/debian/changelog
  VERBATIM)
add_custom_target(scopesync_changelog ALL DEPENDS ${_changelog_gz})
install(FILES ${_changelog_gz} ${_pkg}/debian/copyright DESTINATION ${_doc})
install(FILES ${_pkg}/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
  RENAME scopesync)

# --- permissions without root: udev rule and real-time limits (see the comments in each file) -------------
if(SCOPESYNC_INSTALL_SYSTEM_FILES)
  # /lib, not /usr/lib: Debian 12 still ships udev rules there (merged-/usr file moves are not allowed yet).
  install(FILES ${_pkg}/udev/60-scopesync.rules DESTINATION /lib/udev/rules.d)
  install(FILES ${_pkg}/limits/scopesync.conf DESTINATION /etc/security/limits.d)
endif()

# --- CPack: Debian package ----------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME scopesync)
set(CPACK_PACKAGE_VENDOR "ScopeSync")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${SCOPESYNC_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/package)
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_DEBIAN_PACKAGE_NAME scopesync)
# A cross build is packaged for its target (arm64 from the aarch64-linux-gnu toolchain), not for this machine.
if(CMAKE_CROSSCOMPILING AND CMAKE_LIBRARY_ARCHITECTURE)
  execute_process(COMMAND dpkg-architecture -t ${CMAKE_LIBRARY_ARCHITECTURE} -qDEB_HOST_ARCH
    OUTPUT_VARIABLE _deb_arch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _deb_arch_rc)
  if(NOT _deb_arch_rc EQUAL 0 OR NOT _deb_arch)
    message(FATAL_ERROR "dpkg-architecture knows no Debian architecture for ${CMAKE_LIBRARY_ARCHITECTURE}")
  endif()
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${_deb_arch})
endif()
set(CPACK_DEBIAN_PACKAGE_RELEASE ${SCOPESYNC_PACKAGE_RELEASE})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SCOPESYNC_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
# Depends: computed by dpkg-shlibdeps from the binary's shared libraries, plus what it loads at run time.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# addgroup in the postinst.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
# The GUI on a Wayland compositor (labwc, wayfire) uses Qt's wayland platform plugin; without it Qt falls
# back to XWayland through the xcb plugin that libqt6gui6 ships.
# Qt Multimedia finds USB and other V4L2 cameras through GStreamer's v4l2src (the "qt" camera backend).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, gstreamer1.0-plugins-good")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "rpicam-apps")
# The synopsis is the project's DESCRIPTION; CPack indents these lines and turns the empty one into " .".
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "ScopeSync runs a fluorescence microscope built on a Raspberry Pi camera and
flashes its LEDs in sync with the camera's exposures. It computes the
rolling-shutter timing of each sensor mode so a flash lands while every row
is exposing, fires the LED edges from a real-time thread at trigger time plus
delay, and saves every image as a 16-bit OME-TIFF with the measured LED edges
in its metadata.

This package has the scopesync command (GUI and headless runs), sample
protocols, a desktop entry, a touchscreen kiosk unit for systemd's user
manager, a udev rule and real-time limits for members of the gpio group.")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${_pkg}/debian/postinst ${_pkg}/debian/postrm ${_pkg}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
