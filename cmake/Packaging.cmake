# Install rules and a Debian package (CPack DEB): rostersync (never the test emulator
# mm-emulator: `rostersync demo` runs from a build tree), the systemd units, sysusers/tmpfiles, and /etc/rostersync/config.yaml
# from config/example.yaml as a conffile. Build with: cpack -G DEB (in the build dir).
include(GNUInstallDirs)

set(ROSTERSYNC_SYSTEMD_UNITDIR "lib/systemd/system" CACHE STRING "systemd unit directory")
install(FILES
  ${PROJECT_SOURCE_DIR}/systemd/rostersync.service
  ${PROJECT_SOURCE_DIR}/systemd/rostersync-once.service
  ${PROJECT_SOURCE_DIR}/systemd/rostersync.timer
  DESTINATION ${ROSTERSYNC_SYSTEMD_UNITDIR})
install(FILES ${PROJECT_SOURCE_DIR}/systemd/rostersync.sysusers
  DESTINATION lib/sysusers.d RENAME rostersync.conf)
install(FILES ${PROJECT_SOURCE_DIR}/systemd/rostersync.tmpfiles
  DESTINATION lib/tmpfiles.d RENAME rostersync.conf)
if(EXISTS ${PROJECT_SOURCE_DIR}/config/example.yaml)
  install(FILES ${PROJECT_SOURCE_DIR}/config/example.yaml
    DESTINATION /etc/rostersync RENAME config.yaml
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
  install(FILES ${PROJECT_SOURCE_DIR}/config/example.yaml
    DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/systemd/README.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME systemd.md OPTIONAL)

# Maintainer scripts: create the user and directories, reload systemd; never start the
# service on install (it needs a config and a token first).
set(_deb_dir ${CMAKE_CURRENT_BINARY_DIR}/debian)
file(MAKE_DIRECTORY ${_deb_dir})
file(WRITE ${_deb_dir}/postinst "#!/bin/sh
set -e
if [ \"$1\" = configure ]; then
  systemd-sysusers rostersync.conf >/dev/null 2>&1 || true
  systemd-tmpfiles --create rostersync.conf >/dev/null 2>&1 || true
  chgrp rostersync /etc/rostersync/config.yaml 2>/dev/null || true
  chmod 0640 /etc/rostersync/config.yaml 2>/dev/null || true
  systemctl daemon-reload >/dev/null 2>&1 || true
fi
exit 0
")
file(WRITE ${_deb_dir}/prerm "#!/bin/sh
set -e
if [ \"$1\" = remove ]; then
  systemctl stop rostersync.service rostersync.timer >/dev/null 2>&1 || true
fi
exit 0
")
file(WRITE ${_deb_dir}/conffiles "/etc/rostersync/config.yaml\n")
file(CHMOD ${_deb_dir}/postinst ${_deb_dir}/prerm
  PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "rostersync")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "rostersync maintainers <rostersync@example.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Keeps Mattermost user accounts in step with an HR roster")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${_deb_dir}/postinst;${_deb_dir}/prerm;${_deb_dir}/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
