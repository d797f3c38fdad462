# Installation layout and the Debian package (CPack DEB).
#
#   cmake --build --preset default --target package   →  build/intake-edge_<version>-<release>_<arch>.deb
#
# Included from the top-level CMakeLists.txt after the targets intake-collector and intakectl exist.
# The package's maintainer scripts, conffiles list, copyright, changelog and man pages live in
# packaging/debian/; the systemd units in packaging/. scripts/package-test builds, lints and
# installs the package into a fresh Debian 12 root.

include(GNUInstallDirs)

set(intake_pkg_dir ${PROJECT_SOURCE_DIR}/packaging)

# --- what is installed -----------------------------------------------------------------------
# Paths outside the prefix (/etc, /var, /lib/systemd) are absolute on purpose: this is a system
# daemon, and the Debian layout is the only one it is packaged for.
install(TARGETS intake-collector intakectl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The shipped configuration, a conffile: packaging/collector.toml (every key with its default,
# commented) with the two values the package's layout fixes, whatever the file says for
# development: collector.data_dir is the unit's StateDirectory, and the HTTP server listens on
# loopback only until the operator decides otherwise.
function(intake_set_toml_value text_var section key value)
  set(text "\n${${text_var}}")   # so that a section on the first line is found too
  string(FIND "${text}" "\n[${section}]\n" start)
  if(start EQUAL -1)
    message(FATAL_ERROR "packaging/collector.toml has no [${section}] section")
  endif()
  string(SUBSTRING "${text}" 0 ${start} head)
  string(SUBSTRING "${text}" ${start} -1 body)
  string(SUBSTRING "${body}" 1 -1 after_header)
  string(FIND "${after_header}" "\n[" next)
  if(next EQUAL -1)
    set(tail "")
  else()
    math(EXPR cut "${next} + 1")
    string(SUBSTRING "${after_header}" ${next} -1 tail)
    string(SUBSTRING "${body}" 0 ${cut} body)
  endif()
  string(REGEX MATCH "\n${key} = [^\n]*" found "${body}")
  if(NOT found)
    message(FATAL_ERROR "packaging/collector.toml: [${section}] has no line '${key} = ...'")
  endif()
  string(REPLACE "${found}" "\n${key} = ${value}" body "${body}")
  string(SUBSTRING "${head}${body}${tail}" 1 -1 text)
  set(${text_var} "${text}" PARENT_SCOPE)
endfunction()
file(READ ${intake_pkg_dir}/collector.toml intake_shipped_config)
intake_set_toml_value(intake_shipped_config collector data_dir [["/var/lib/intake-edge"]])
intake_set_toml_value(intake_shipped_config http listen [["127.0.0.1:8080"]])
set(intake_shipped_config_file ${PROJECT_BINARY_DIR}/packaging/collector.toml)
set(intake_previous_config "")
if(EXISTS ${intake_shipped_config_file})
  file(READ ${intake_shipped_config_file} intake_previous_config)
endif()
if(NOT intake_previous_config STREQUAL intake_shipped_config)   # rewritten only when it changes
  file(WRITE ${intake_shipped_config_file} "${intake_shipped_config}")
endif()
set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${intake_pkg_dir}/collector.toml)
install(FILES ${intake_shipped_config_file}
        DESTINATION /etc/intake-edge
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

# collector.data_dir. postinst gives it to the intake-edge user (the package cannot: the user
# does not exist when it is unpacked).
install(DIRECTORY DESTINATION /var/lib/intake-edge)

install(FILES ${intake_pkg_dir}/intake-collector.service ${intake_pkg_dir}/intake-collector@.service
        DESTINATION /lib/systemd/system
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

install(FILES ${intake_pkg_dir}/debian/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/intake-edge)
# docs/INSTALL.md is about this package (the units, instances, upgrades), hence README.Debian.
install(FILES ${PROJECT_SOURCE_DIR}/docs/INSTALL.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/intake-edge RENAME README.Debian)
# The Kannel sms-service lines the sms channel expects (README.md, "SMS").
install(FILES ${intake_pkg_dir}/kannel-sms-service.conf
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/intake-edge/examples)
# The built-in triage rules, for reference (the binary embeds them).
if(EXISTS ${intake_pkg_dir}/triage-rules.toml)
  install(FILES ${intake_pkg_dir}/triage-rules.toml
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/intake-edge/examples)
endif()
# Peer-side configuration examples (the county broker's bridge, ...), and the operator's guide.
install(DIRECTORY ${intake_pkg_dir}/examples/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/intake-edge/examples)
install(FILES ${PROJECT_SOURCE_DIR}/docs/OPERATIONS.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/intake-edge)
install(FILES ${intake_pkg_dir}/debian/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME intake-edge)

# --- the Debian package ----------------------------------------------------------------------
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "intake-edge")
# scripts/package-test builds a second, higher version with cpack -D CPACK_PACKAGE_VERSION=...;
# a configure-time -DCPACK_PACKAGE_VERSION=... works as well.
if(NOT DEFINED CPACK_PACKAGE_VERSION)
  set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
endif()
set(CPACK_DEBIAN_PACKAGE_RELEASE "1")

# Man pages carry the version; the package gzips them (packaging/debian/prebuild.cmake).
foreach(page intake-collector.8 intakectl.8)
  configure_file(${intake_pkg_dir}/debian/${page}.in ${PROJECT_BINARY_DIR}/packaging/${page} @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/packaging/${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
endforeach()

set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_PACKAGE_CONTACT "intake-edge maintainers <maintainers@users.noreply.h-seed-4f88e599.example>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_VENDOR "intake-edge")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "intake edge of the 12345 citizen-service hotline")
# The extended description; CPack indents it and turns the empty lines into " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION [[
intake-collector takes citizens' requests from every channel of a county's
12345 hotline (HTTP API, web form, QR codes, SMS, e-mail, WeChat), normalizes
and deduplicates them, flags what must go to 110/119/120/122 at once, keeps
them durably in a local outbox and forwards one feed of CloudEvents upstream
over MQTT 5.

intakectl is the operator's command-line tool: status, configuration checks
and tracking-number validation.

The daemon is installed disabled, to run as the system user intake-edge under
a hardened systemd unit (intake-collector.service); the template unit
intake-collector@.service runs several collectors on one host.]])
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# Library dependencies are computed by dpkg-shlibdeps (dpkg-dev); adduser runs in postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mosquitto")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${intake_pkg_dir}/debian/conffiles;${intake_pkg_dir}/debian/postinst;${intake_pkg_dir}/debian/prerm;${intake_pkg_dir}/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Stripped in prebuild.cmake, as dh_strip does (.comment and .note removed too).
set(CPACK_INTAKE_STRIP "${CMAKE_STRIP}")
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
# Strips the binaries, gzips the man pages, writes changelog.Debian.gz into the staging tree.
set(CPACK_PRE_BUILD_SCRIPTS "${intake_pkg_dir}/debian/prebuild.cmake")
set(CPACK_INTAKE_CHANGELOG "${intake_pkg_dir}/debian/changelog")
set(CPACK_SOURCE_GENERATOR "")

include(CPack)
