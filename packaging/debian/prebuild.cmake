# CPACK_PRE_BUILD_SCRIPTS: runs inside cpack after the files are staged, before the .deb is made.
# Strips the binaries as dh_strip does (debug symbols, .comment and .note go), gzips the man pages and installs changelog.Debian.gz, as Debian policy wants (gzip -9n: no name,
# no time stamp, so the package is reproducible).
#
# The changelog is packaging/debian/changelog; when the package's version is not its first entry
# (a test build with -D CPACK_PACKAGE_VERSION=...), an entry for that version is put on top, so
# the changelog always names the version it ships with.

set(root "${CPACK_TEMPORARY_INSTALL_DIRECTORY}")
if(NOT IS_DIRECTORY "${root}")
  message(FATAL_ERROR "prebuild.cmake: no staging directory '${root}'")
endif()
find_program(gzip_program gzip REQUIRED)

function(gzip_in_place file)
  execute_process(COMMAND "${gzip_program}" -9nf "${file}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "prebuild.cmake: gzip ${file} failed")
  endif()
endfunction()

if(NOT CPACK_INTAKE_STRIP)
  message(FATAL_ERROR "prebuild.cmake: no strip program (CMAKE_STRIP)")
endif()
file(GLOB_RECURSE binaries "${root}/*/bin/*")
foreach(binary IN LISTS binaries)
  execute_process(COMMAND "${CPACK_INTAKE_STRIP}" --remove-section=.comment --remove-section=.note
                          "${binary}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "prebuild.cmake: strip ${binary} failed")
  endif()
endforeach()

file(GLOB_RECURSE man_pages "${root}/*/share/man/man*/*.[1-9]")
foreach(page IN LISTS man_pages)
  gzip_in_place("${page}")
endforeach()

file(GLOB_RECURSE copyright_files "${root}/*/share/doc/${CPACK_PACKAGE_NAME}/copyright")
list(LENGTH copyright_files n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "prebuild.cmake: expected one share/doc/${CPACK_PACKAGE_NAME}/copyright, found ${n}")
endif()
get_filename_component(doc_dir "${copyright_files}" DIRECTORY)

set(version "${CPACK_PACKAGE_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")
file(READ "${CPACK_INTAKE_CHANGELOG}" changelog)
string(REGEX MATCH "^[^ ]+ \\(([^)]+)\\)" _ "${changelog}")
if(NOT CMAKE_MATCH_1 STREQUAL version)
  string(TIMESTAMP date "%a, %d %b %Y %H:%M:%S +0000" UTC)
  set(changelog "${CPACK_PACKAGE_NAME} (${version}) unstable; urgency=medium

  * Build of version ${version}; see the entries below for the changes.

 -- ${CPACK_DEBIAN_PACKAGE_MAINTAINER}  ${date}

${changelog}")
endif()
file(WRITE "${doc_dir}/changelog.Debian" "${changelog}")
gzip_in_place("${doc_dir}/changelog.Debian")
