# Third-party dependencies: Qt 6 (Qt Multimedia optional) and OpenCV (core, imgproc) from Debian's packages.
find_package(Qt6 6.4 REQUIRED COMPONENTS Core Test)
find_package(Threads REQUIRED)
# Cameras through Qt Multimedia (hal/qtcamera): optional, so that a build without qt6-multimedia-dev (the
# arm64 cross build) goes on without that backend and says so. Found here, for every directory to see.
find_package(Qt6 6.4 QUIET COMPONENTS Multimedia)

# Debian's libopencv-core-dev and libopencv-imgproc-dev ship no CMake package file (only the
# full libopencv-dev does), so the two libraries are located directly.
find_path(OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
find_library(OPENCV_CORE_LIBRARY opencv_core REQUIRED)
find_library(OPENCV_IMGPROC_LIBRARY opencv_imgproc REQUIRED)
add_library(scopesync_opencv INTERFACE)
target_include_directories(scopesync_opencv SYSTEM INTERFACE ${OPENCV_INCLUDE_DIR})
target_link_libraries(scopesync_opencv INTERFACE ${OPENCV_IMGPROC_LIBRARY} ${OPENCV_CORE_LIBRARY})
