# The layers (docs/architecture.md) enforced by the build: each library exposes only its own folder.
#
# scopesync_include_root(<target> <PUBLIC|PRIVATE> <folder>...) lets <target> (and, with PUBLIC, whatever
# links it) write #include "<folder>/…" for each folder, and for nothing else of the source tree. Each folder
# gets an include root in the build tree holding a single link, include-roots/<folder>/<folder> → the source
# folder, so hal's root shows hal/ and nothing beside it: a wrong-way include (ui/ including "hal/…") is
# "No such file or directory" unless the target links the library that owns the folder.
function(scopesync_include_root target scope)
  foreach(folder IN LISTS ARGN)
    set(root ${CMAKE_BINARY_DIR}/include-roots/${folder})
    file(MAKE_DIRECTORY ${root})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${folder} ${root}/${folder} SYMBOLIC)
    target_include_directories(${target} ${scope} ${root})
  endforeach()
endfunction()
