# Shared expect helpers for the A/B scenarios. Environment (set by systest/run):
#   SYSTEST_OUT     built environment (u-boot.bin, slots, release patches, 9p share root)
#   SYSTEST_DISK    this scenario's disk image (a fresh copy of the pristine disk)
#   SYSTEST_RESULTS file the RESULT and PHASE lines are appended to
#   SYSTEST_TIMEOUT seconds one step may take (a boot, an install, a boot-verify; default 900: the JVM
#                   under TCG on a loaded 2-core machine)
set timeout [expr {[info exists env(SYSTEST_TIMEOUT)] ? $env(SYSTEST_TIMEOUT) : 900}]
log_user 1
set OUT $env(SYSTEST_OUT)
set DISK $env(SYSTEST_DISK)
set RESULTS $env(SYSTEST_RESULTS)
set SCENARIO [file rootname [file tail $argv0]]
set PROMPT {slot[0-9][0-9.a-z-]*# }
set RELEASE /mnt/share/release

proc now {} { return [clock milliseconds] }
set T0 [now]
proc mark {what} { global T0; send_user "\n>>> [format %.1f [expr {([now]-$T0)/1000.0}]]s $what\n" }
proc append_result {line} {
  global RESULTS
  set f [open $RESULTS a]; puts $f $line; close $f
}

# step NAME: a named phase of the scenario; it lasts until the next step or result.
set STEP ""
set STEP_T0 [now]
proc step {name} {
  global STEP STEP_T0 SCENARIO
  if {$STEP ne ""} { append_result "PHASE $SCENARIO/$STEP [expr {[now]-$STEP_T0}]" }
  set STEP $name; set STEP_T0 [now]
  if {$name ne ""} { mark "step: $name" }
}

# result NAME PASS|FAIL DETAIL: one line for systest/run to print, with the time since the last result.
set RESULT_T0 [now]
proc result {name res detail} {
  global SCENARIO RESULT_T0
  step ""
  append_result "RESULT $SCENARIO/$name $res [expr {[now]-$RESULT_T0}] $detail"
  set RESULT_T0 [now]
  mark "RESULT $name $res $detail"
}
proc fail {name detail} { result $name FAIL $detail; power_off; exit 1 }

# Boots (or powers on again after a cut) the rig: U-Boot from the A/B disk. No -no-reboot: a guest
# reboot or panic resets the machine and U-Boot runs again, as on the device.
# With a cloud (SYSTEST_NIC, the daemon scenarios) the guest gets QEMU's user network, restricted to the
# cloud's forwarded addresses; otherwise no network at all.
set NIC [expr {[info exists env(SYSTEST_NIC)] ? $env(SYSTEST_NIC) : "none"}]
proc power_on {} {
  global OUT DISK NIC vm_pid spawn_id
  set vm_pid [spawn qemu-system-aarch64 -M virt -accel tcg,thread=multi -cpu cortex-a53 -smp 2 -m 1024 \
      -nographic -nic $NIC -bios $OUT/uboot/u-boot.bin \
      -drive if=none,id=hd0,format=raw,file=$DISK -device virtio-blk-pci,drive=hd0 \
      -virtfs local,path=$OUT,mount_tag=share,security_model=none,readonly=on]
}
# Power cut: SIGKILL QEMU. What the guest had not written to the virtual disk is lost, as on a device.
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

# Waits for U-Boot's A/B line matching RE (after "AB_STATE "); fails on any other state.
proc expect_state {name re what} {
  expect {
    -re "AB_STATE $re" {}
    -re {AB_STATE [^\r\n]*[\r\n]} { fail $name "$what: U-Boot state is $expect_out(0,string)" }
    timeout { fail $name "$what: no U-Boot A/B state" }
    eof { fail $name "$what: QEMU exited" }
  }
  mark "U-Boot: AB_STATE $re"
}

# Waits for Linux in a slot; returns {part version bootcount upgrade_available}. A crashing image
# (SLOT_CRASH) is returned with version prefixed by "crash:".
proc wait_slot {name} {
  expect {
    -re {SLOT_BOOTED part=([0-9]) version=(\S+) bootcount=(\S*) upgrade_available=(\S*) } {
      set r [list $expect_out(1,string) $expect_out(2,string) $expect_out(3,string) $expect_out(4,string)]
    }
    -re {AB_BOOT_FAILED part=([0-9])} { fail $name "U-Boot could not load the kernel of part $expect_out(1,string)" }
    timeout { fail $name "timeout waiting for a slot to boot" }
    eof { fail $name "QEMU exited while waiting for a slot to boot" }
  }
  mark "Linux up: part [lindex $r 0] version [lindex $r 1] bootcount=[lindex $r 2] upgrade_available=[lindex $r 3]"
  return $r
}
proc expect_slot {name part version what} {
  lassign [wait_slot $name] p v bc ua
  if {$p ne $part || $v ne $version} { fail $name "$what: came up on part $p version $v, expected part $part version $version" }
  return [list $p $v $bc $ua]
}

# Waits for `vgate ota boot-verify` (run by the slot's init) and returns its verdict line; then, unless
# it is rebooting, for the shell prompt.
proc wait_verified {name} {
  global PROMPT
  expect {
    -re {BV: vgate ota boot-verify: ([^\r\n]*)} { fail $name "vgate ota boot-verify failed: $expect_out(1,string)" }
    -re {BV: boot-verify: ([^\r\n]*)[\r\n]} { set o $expect_out(1,string) }
    -re {BOOT_VERIFY_DONE} { fail $name "vgate ota boot-verify ended without a verdict" }
    timeout { fail $name "timeout waiting for vgate ota boot-verify" }
    eof { fail $name "QEMU exited during boot verification" }
  }
  mark "boot-verify: $o"
  if {![string match "*rebooting*" $o]} {
    # (a braced pattern list must span lines, or expect takes it as one glob pattern)
    expect {
      -re $PROMPT {}
      timeout { fail $name "no shell prompt after boot-verify" }
    }
  }
  return $o
}
proc verdict_is {name got want what} {
  if {![string match $want $got]} { fail $name "$what: boot-verify said '$got', expected '$want'" }
}

# Starts `vgate ota install` of release VERSION (a signed jbsdiff patch from 1.0.0) on the running slot.
proc ota_install {version} {
  global RELEASE
  send "vgate ota install --manifest $RELEASE/$version/manifest.bin --patch $RELEASE/$version/patch.bin --current-version \$(cat /etc/systest/version)\r"
}
# Waits for an install output line matching RE; fails on a vgate error.
proc expect_install {name re what} {
  expect {
    -re $re {}
    -re {vgate ota install: ([^\r\n]*)} { fail $name "$what: vgate ota install failed: $expect_out(1,string)" }
    timeout { fail $name "$what: timeout waiting for '$re'" }
    eof { fail $name "$what: QEMU exited" }
  }
  mark "install: $re"
}
proc sh_cmd {name cmd {re {}}} {
  global PROMPT
  send "$cmd\r"
  expect {
    -re $PROMPT {}
    timeout { fail $name "timeout running: $cmd" }
    eof { fail $name "QEMU exited running: $cmd" }
  }
}
