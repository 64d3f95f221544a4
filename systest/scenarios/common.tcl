# Shared expect helpers for the A/B scenarios. Environment (set by systest/run):
#   SYSTEST_OUT  built environment (u-boot.bin, slots, 9p share root)
#   SYSTEST_DISK this scenario's disk image (a fresh copy of the pristine disk)
#   SYSTEST_RESULTS file the RESULT lines are appended to
set timeout 120
log_user 1
set OUT $env(SYSTEST_OUT)
set DISK $env(SYSTEST_DISK)
set RESULTS $env(SYSTEST_RESULTS)
set SCENARIO [file rootname [file tail $argv0]]
set PROMPT {slot[0-9][0-9.a-z-]*# }

proc now {} { return [clock milliseconds] }
set T0 [now]
proc mark {what} { global T0; send_user "\n>>> [format %.1f [expr {([now]-$T0)/1000.0}]]s $what\n" }

# result NAME PASS|FAIL|SKIP DETAIL: one line for systest/run to print.
proc result {name res detail} {
  global RESULTS SCENARIO T0
  set f [open $RESULTS a]
  puts $f "RESULT $SCENARIO/$name $res [expr {[now]-$T0}] $detail"
  close $f
  mark "RESULT $name $res $detail"
}
proc fail {name detail} { result $name FAIL $detail; power_off; exit 1 }

# The sha256 of a slot image built by systest/build.
proc image_sha {version} {
  global OUT
  set f [open $OUT/slots/SHA256SUMS]; set text [read $f]; close $f
  if {![regexp "(\[0-9a-f\]{64})  \\./$version\\.img" $text -> sha]} { error "no image $version" }
  return $sha
}

# Boots (or reboots after a power cut) the rig: U-Boot from the A/B disk. No -no-reboot: a guest
# reboot or panic resets the machine and U-Boot runs again, as on the device.
proc power_on {} {
  global OUT DISK vm_pid spawn_id
  set vm_pid [spawn qemu-system-aarch64 -M virt -accel tcg,thread=multi -cpu cortex-a53 -smp 2 -m 1024 \
      -nographic -nic none -bios $OUT/uboot/u-boot.bin \
      -drive if=none,id=hd0,format=raw,file=$DISK -device virtio-blk-pci,drive=hd0 \
      -virtfs local,path=$OUT,mount_tag=share,security_model=none,readonly=on]
}
# Power cut: SIGKILL QEMU. What the guest had not synced to the virtual disk is lost, as on a device.
proc power_cut {why} {
  global vm_pid
  exec kill -9 $vm_pid
  catch {close}; catch {wait}
  mark "POWER CUT ($why)"
}
proc power_off {} {
  global vm_pid
  catch {exec kill -9 $vm_pid}; catch {close}; catch {wait}
}

# Waits for Linux in a slot; returns {part version upgrade_available}. Fails the scenario on timeout.
proc wait_slot {name} {
  expect {
    -re {SLOT_BOOTED part=([0-9]) version=(\S+) bootcount=(\S*) upgrade_available=(\S*) } {
      set r [list $expect_out(1,string) $expect_out(2,string) $expect_out(4,string)]
    }
    -re {AB_BOOT_FAILED part=([0-9])} { exp_continue }
    timeout { fail $name "timeout waiting for a slot to boot" }
    eof { fail $name "QEMU exited while waiting for a slot to boot" }
  }
  mark "Linux up: part [lindex $r 0] version [lindex $r 1] upgrade_available=[lindex $r 2]"
  return $r
}
# Waits for the boot verification outcome line and the shell prompt; returns the outcome word.
proc wait_verified {name} {
  global PROMPT
  expect {
    -re {(BOOT_VERIFY_COMMITTED|BOOT_VERIFY_NOTHING_PENDING|OTA_ROLLBACK_DETECTED|OTA_SWITCH_LOST|BOOT_VERIFY_FAILED)} {
      set o $expect_out(1,string)
    }
    timeout { fail $name "timeout waiting for boot verification" }
    eof { fail $name "QEMU exited during boot verification" }
  }
  if {$o ne "BOOT_VERIFY_FAILED"} {
    # (a braced pattern list must span lines, or expect takes it as one glob pattern)
    expect {
      -re $PROMPT {}
      timeout { fail $name "no shell prompt" }
    }
  }
  return $o
}
proc sh_cmd {name cmd {tmo 120}} {
  global PROMPT timeout
  set old $timeout; set timeout $tmo
  send "$cmd\r"
  expect {
    -re $PROMPT {}
    timeout { fail $name "timeout running: $cmd" }
    eof { fail $name "QEMU exited running: $cmd" }
  }
  set timeout $old
}
# Runs cmd and waits for the marker regexp it prints (fails on the FAIL regexp or timeout).
proc sh_expect {name cmd ok {tmo 180}} {
  global timeout
  set old $timeout; set timeout $tmo
  send "$cmd\r"
  expect {
    -re $ok {}
    -re {(OTA_INSTALL_BAD|OTA_SWITCH_REFUSED)[^\r\n]*} { fail $name "$expect_out(0,string)" }
    timeout { fail $name "timeout waiting for '$ok' after: $cmd" }
    eof { fail $name "QEMU exited after: $cmd" }
  }
  set timeout $old
}
