SUMMARY = "vgate in-vehicle gateway agent"
DESCRIPTION = "One JVM daemon for Linux gateway ECUs: SocketCAN, DBC decoding, edge safety rules, \
SQLite store-and-forward telemetry over MQTT v5, signed cloud commands and A/B OTA updates."
SECTION = "net"
# The vgate repository has no LICENSE file yet; set LICENSE and LIC_FILES_CHKSUM when it does.
LICENSE = "CLOSED"

# Built outside bitbake: run `./mvnw -B -DskipTests package -pl agent -am` in ${VGATE_SRC_DIR} first (a
# Maven build needs the network, which bitbake allows only in do_fetch). A release build points SRC_URI
# at a published vgate.jar instead (docs/yocto.md).
FILESEXTRAPATHS:prepend := "${VGATE_SRC_DIR}/agent/target:${VGATE_SRC_DIR}/systemd:${VGATE_SRC_DIR}/dbc/src/main/resources/dev/vgate/dbc/demo:${VGATE_SRC_DIR}/docs:"
SRC_URI = " \
    file://vgate.jar \
    file://vgate.service \
    file://vgate-cds \
    file://vgate.classlist \
    file://vgate.yaml \
    file://vgate-demo.dbc \
    file://70-vgate-ota.rules \
    file://50-vgate.rules \
    file://configuration.md \
    file://systemd.md \
"

# scarthgap unpacks into WORKDIR; styhead and later into UNPACKDIR.
UNPACKDIR ??= "${WORKDIR}"
S = "${UNPACKDIR}"

# The jar carries JNI code (javacan, JNA, sqlite-jdbc) for x86-64, aarch64 and 32-bit ARM.
COMPATIBLE_HOST = "(x86_64|aarch64|arm).*-linux"

inherit systemd useradd

# GPT names of the A/B root file system partitions the udev rule hands to the vgate-ota group.
VGATE_SLOT_PARTLABELS ?= "rootfs_a|rootfs_b"

USERADD_PACKAGES = "${PN}"
GROUPADD_PARAM:${PN} = "--system vgate-ota"
USERADD_PARAM:${PN} = "--system --user-group --groups vgate-ota --home-dir ${localstatedir}/lib/vgate \
    --no-create-home --shell ${base_sbindir}/nologin vgate"

SYSTEMD_SERVICE:${PN} = "vgate.service"
SYSTEMD_AUTO_ENABLE:${PN} = "enable"

do_configure[noexec] = "1"
do_compile[noexec] = "1"

do_install() {
    install -D -m 0644 ${UNPACKDIR}/vgate.jar ${D}${datadir}/vgate/vgate.jar
    install -D -m 0644 ${UNPACKDIR}/vgate.service ${D}${systemd_system_unitdir}/vgate.service
    # the unit's ExecStartPre: makes the class-data-sharing archive (start-up, memory) from this class list in
    # /var/lib/vgate on the first start after each install, with the device's own JVM (docs/systemd.md)
    install -m 0755 ${UNPACKDIR}/vgate-cds ${D}${datadir}/vgate/vgate-cds
    install -m 0644 ${UNPACKDIR}/vgate.classlist ${D}${datadir}/vgate/vgate.classlist

    # the config may hold the MQTT password: readable by root and the vgate group only
    install -d -m 0750 ${D}${sysconfdir}/vgate ${D}${sysconfdir}/vgate/dbc
    install -m 0640 ${UNPACKDIR}/vgate.yaml ${D}${sysconfdir}/vgate/vgate.yaml
    install -m 0640 ${UNPACKDIR}/vgate-demo.dbc ${D}${sysconfdir}/vgate/dbc/vgate-demo.dbc
    chown -R root:vgate ${D}${sysconfdir}/vgate

    install -D -m 0644 ${UNPACKDIR}/70-vgate-ota.rules ${D}${nonarch_base_libdir}/udev/rules.d/70-vgate-ota.rules
    sed -i -e 's/rootfs_a|rootfs_b/${VGATE_SLOT_PARTLABELS}/' ${D}${nonarch_base_libdir}/udev/rules.d/70-vgate-ota.rules
    install -D -m 0644 ${UNPACKDIR}/50-vgate.rules ${D}${datadir}/polkit-1/rules.d/50-vgate.rules

    # the unit's Documentation= and the config's header point here (package ${PN}-doc)
    install -D -m 0644 ${UNPACKDIR}/configuration.md ${D}${docdir}/vgate/configuration.md
    install -D -m 0644 ${UNPACKDIR}/systemd.md ${D}${docdir}/vgate/systemd.md
}

FILES:${PN} += " \
    ${datadir}/vgate \
    ${systemd_system_unitdir}/vgate.service \
    ${nonarch_base_libdir}/udev/rules.d/70-vgate-ota.rules \
    ${datadir}/polkit-1/rules.d/50-vgate.rules \
"
CONFFILES:${PN} = "${sysconfdir}/vgate/vgate.yaml"

# Java 17 from meta-openjdk-temurin; its update-alternatives link is the unit's /usr/bin/java.
RDEPENDS:${PN} = "openjdk-17-jre"
# fw_printenv/fw_setenv for the U-Boot boot-control backend.
RRECOMMENDS:${PN} = "libubootenv-bin"
