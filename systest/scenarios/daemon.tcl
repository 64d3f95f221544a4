# Helpers for the daemon scenarios: vgate runs as the slot's service (`vgate run`, started by slot-init
# when the data partition says so) and takes its orders from the rig's cloud (systest/cloud/cloud:
# mosquitto, the update server, the fleet's observers), which runs on the host. Environment, besides
# common.tcl's: SYSTEST_CLOUD (the cloud's folder), SYSTEST_NIC (the QEMU network it forwards).
source [file join [file dirname [info script]] common.tcl]
match_max 200000
set CLOUD $env(SYSTEST_CLOUD)
set CLOUDCMD [file join [file dirname [info script]] .. cloud cloud]
set VEHICLE SYSTEST-QEMU-A53-01

proc lines_of {file} {
  if {[catch {open $file} f]} { return {} }
  set t [read $f]; close $f
  return [split [string trimright $t "\n"] "\n"]
}
# What the fleet has received on the vehicle's OTA outcome topic, one JSON text per message.
proc outcomes {} {
  global CLOUD
  set r {}
  # "<topic> <json>": the JSON is everything after the first space
  foreach l [lines_of $CLOUD/outcomes.txt] { if {$l ne ""} { lappend r [string range $l [expr {[string first " " $l] + 1}] end] } }
  return $r
}
proc outcome_summary {} {
  set r {}
  foreach o [outcomes] {
    regexp {"to" *: *"([^"]*)"} $o -> to
    regexp {"result" *: *"([^"]*)"} $o -> res
    lappend r "$to:$res"
  }
  return [join $r ", "]
}
# The update server's log: one line per request.
proc http_requests {} { global CLOUD; return [lines_of $CLOUD/http.log] }
# The last status report the vehicle published (JSON), or "".
proc last_status {} { global CLOUD; set l [lindex [lines_of $CLOUD/status.txt] end]; return [string range $l [string first " " $l]+1 end] }
proc part_running {status part} { return [regexp "\"$part\" *: *\\x7b\"state\" *: *\"running\"" $status] }
proc subscriptions {} { global CLOUDCMD CLOUD; return [exec $CLOUDCMD subscriptions $CLOUD] }

# The U-Boot environment as U-Boot will read it: uboot.env on the disk's FAT partition (for failure details).
proc uboot_env {} {
  global DISK
  if {[catch {exec sh -c "mcopy -n -i '$DISK@@1M' ::uboot.env - 2>/dev/null | tail -c +5 | tr '\\0' '\\n' | grep -E '^(boot_part|bootcount|bootlimit|upgrade_available|BOOT_ORDER|BOOT_._LEFT|mender_boot_part)='"} e]} { return "(unreadable)" }
  return [join [split $e "\n"] " "]
}

# await NAME WHAT COND ?SECONDS?: waits until the Tcl expression COND (evaluated in the caller) is true,
# reading the console meanwhile (so the guest never blocks on it). Fails on a U-Boot start (an unexpected
# reset) unless ALLOW_RESET is set, on QEMU exiting, and on timeout.
set ALLOW_RESET 0
proc await {name what cond {secs 0}} {
  global timeout ALLOW_RESET
  if {$secs == 0} { set secs $timeout }
  set end [expr {[now] + $secs * 1000}]
  while {![uplevel 1 [list expr $cond]]} {
    if {[now] > $end} { fail $name "$what: not within $secs s (outcomes so far: [outcome_summary]; U-Boot env: [uboot_env])" }
    expect {
      -timeout 1
      -re {AB_STATE [^\r\n]*[\r\n]} {
        if {!$ALLOW_RESET} { fail $name "$what: the device reset instead: $expect_out(0,string)" }
      }
      eof { fail $name "$what: QEMU exited" }
      timeout {}
      -re {[^\r\n]*[\r\n]+} {}
    }
  }
  mark "observed: $what"
}

# Waits for a daemon log line (the service's output, "SVC: ...") matching RE; returns the line's submatch 1 if any.
proc expect_svc {name re what} {
  expect {
    -re "SVC: \[^\r\n\]*$re" { set m [expr {[info exists expect_out(1,string)] ? $expect_out(1,string) : ""}] }
    -re {AB_STATE [^\r\n]*[\r\n]} { fail $name "$what: the device reset first: $expect_out(0,string) (U-Boot env: [uboot_env])" }
    timeout { fail $name "$what: no '$re' in the daemon's log" }
    eof { fail $name "$what: QEMU exited" }
  }
  mark "daemon: $what"
  return $m
}

# After a boot into a slot: the service is up when its status report says the command and OTA parts run
# and it has subscribed to its command topic (SUBS: the subscription count before this boot).
proc await_service {name subs what} {
  await $name "$what: vgate run up (subscribed to its command topic, status: commands and ota running)" \
      {[subscriptions] > $subs && [part_running [last_status] commands] && [part_running [last_status] ota]}
}

# The cloud signs and publishes a start-ota for release VERSION (in the background: the answer comes
# from the emulated JVM); await_ota_answer waits for its RESULT.
proc send_ota {version} {
  global CLOUDCMD CLOUD
  exec $CLOUDCMD send-ota $CLOUD $version > $CLOUD/send-$version.log 2>@1 &
  mark "cloud: start-ota $version published"
}
proc ota_answer {version} { global CLOUD; return [join [lines_of $CLOUD/send-$version.log] " | "] }
proc await_ota_answer {name version} {
  await $name "start-ota $version answered" {[regexp {result [A-Z]+} [ota_answer $version]]}
  set a [ota_answer $version]
  if {![regexp {result COMPLETED} $a]} { fail $name "start-ota $version: $a" }
  return $a
}
proc cloud_fault {kind} { global CLOUDCMD CLOUD; exec $CLOUDCMD fault $CLOUD $kind; mark "update server: next response will $kind half-way" }

# Waits for the next reset (U-Boot's AB_STATE line) while the daemon works; fails if the fleet gets an
# outcome first (the install failed instead). Returns the state line.
proc await_reset {name what} {
  global timeout
  set n0 [llength [outcomes]]
  set end [expr {[now] + $timeout * 1000}]
  set st ""
  while {$st eq ""} {
    if {[llength [outcomes]] > $n0} { fail $name "$what: the fleet got an outcome instead of a reboot: [outcome_summary] ([lindex [outcomes] end])" }
    if {[now] > $end} { fail $name "$what: no reboot within $timeout s (U-Boot env: [uboot_env])" }
    expect {
      -timeout 1
      -re {AB_STATE ([^\r\n]*)[\r\n]} { set st $expect_out(1,string) }
      eof { fail $name "$what: QEMU exited" }
      timeout {}
      -re {[^\r\n]*[\r\n]+} {}
    }
  }
  mark "U-Boot: AB_STATE $st"
  return $st
}
# The trial of B as U-Boot's bootcount scheme starts it (what ota.boot_control configures on the rig:
# scheme bootcount, slot_variable boot_part, attempts 3).
proc is_trial_of_b {st} { return [regexp {^boot_part=3 bootcount=1 bootlimit=3 upgrade_available=1} $st] }
proc is_on_a {st} { return [regexp {^boot_part=2 [^\r\n]*upgrade_available=0} $st] }
proc want_state {name st ok what} {
  if {![$ok $st]} { fail $name "$what: U-Boot state is '$st' (U-Boot env: [uboot_env])" }
}

# The fleet's last outcome must be VERSION with RESULT; returns its JSON.
proc want_outcome {name count version result} {
  set o [outcomes]
  if {[llength $o] != $count} { fail $name "the fleet has [llength $o] outcome(s), expected $count: [outcome_summary]" }
  set last [lindex $o end]
  if {![regexp "\"to\" *: *\"$version\"" $last] || ![regexp "\"result\" *: *\"$result\"" $last]} {
    fail $name "outcome for the fleet: $last, expected to=$version result=$result"
  }
  return $last
}
