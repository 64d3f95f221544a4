# vgate systest A/B boot script (U-Boot with CONFIG_BOOTCOUNT_LIMIT + BOOTCOUNT_ENV, env in FAT).
# Partitions: 1 = FAT boot (this script + uboot.env), 2 = slot A, 3 = slot B, 4 = data.
# U-Boot increments ${bootcount} on every boot while ${upgrade_available} = 1 and runs ${altbootcmd}
# instead of ${bootcmd} once bootcount > bootlimit; altbootcmd switches back to the other slot.
# vgate (ota.boot_control: uboot, scheme bootcount, slot_variable boot_part) arms a trial by setting
# boot_part, upgrade_available=1 and bootcount=0, and commits with upgrade_available=0.
if test "${boot_part}" != "2" -a "${boot_part}" != "3"; then
  echo "AB_INIT: no valid boot_part (fresh or lost env): defaulting to slot A"
  setenv boot_part 2
  setenv upgrade_available 0
  setenv bootcount 0
  setenv bootlimit 3
  setenv altbootcmd 'echo "AB_ROLLBACK: bootcount ${bootcount} > bootlimit ${bootlimit} on part ${boot_part}"; if test "${boot_part}" = "2"; then setenv boot_part 3; else setenv boot_part 2; fi; setenv upgrade_available 0; setenv bootcount 0; saveenv; run bootcmd'
  saveenv
fi
echo "AB_STATE boot_part=${boot_part} bootcount=${bootcount} bootlimit=${bootlimit} upgrade_available=${upgrade_available}"
# The slot's kernel is a gzipped Image: booti inflates it at kernel_comp_addr_r and moves it back.
setenv kernel_comp_addr_r 0x50000000
if ext4load virtio 0:${boot_part} ${kernel_addr_r} /boot/Image.gz; then
  setenv kernel_comp_size ${filesize}
  if ext4load virtio 0:${boot_part} ${ramdisk_addr_r} /boot/initrd.img; then
    setenv bootargs "console=ttyAMA0 root=/dev/vda${boot_part} panic=-1 quiet"
    booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdt_addr}
  fi
fi
# An unloadable slot counts as a failed boot: reset, so boot counting (if in trial) rolls back.
echo "AB_BOOT_FAILED part=${boot_part}"
reset
