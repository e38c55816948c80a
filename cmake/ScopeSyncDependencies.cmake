# Third-party dependencies: Qt 6 and OpenCV (core, imgproc) from Debian's packages.
find_package(Qt6 6.4 REQUIRED COMPONENTS Core Test)
find_package(Threads REQUIRED)

# Debian's libopencv-core-dev and libopencv-imgproc-dev ship no CMake package file (only the
# full libopencv-dev does), so the two libraries are located directly.
find_path(OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
find_library(OPENCV_CORE_LIBRARY opencv_core REQUIRED)
find_library(OPENCV_IMGPROC_LIBRARY opencv_imgproc REQUIRED)
add_library(scopesync_opencv INTERFACE)
target_include_directories(scopesync_opencv SYSTEM INTERFACE ${OPENCV_INCLUDE_DIR})
target_link_libraries(scopesync_opencv INTERFACE ${OPENCV_IMGPROC_LIBRARY} ${OPENCV_CORE_LIBRARY})
