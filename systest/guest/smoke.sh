# aarch64 smoke test, run by the initramfs on a direct kernel boot (systest.run=). vcan0 is up, the
# 9p share (systest/out) is at /mnt/share. Prints one line per check for systest/run:
#   CHECK <name> <PASS|FAIL> <ms> <detail>
# vgate runs chrooted into the JRE tree (initramfs-vgate): its paths below are inside that tree, where
# /tmp is the guest's /tmp and /work holds the jar and the demo DBC.
R=/mnt/share/jre-root
VGATE=/mnt/share/guest/initramfs-vgate
ms() { echo $(( $(cut -d' ' -f1 /proc/uptime | tr -d .) * 10 )); }
check() { echo "CHECK $1 $2 $(( $(ms) - T0 )) $3"; }
in_jre() { chroot $R "$@"; }
oneline() { tr '\n' ' ' < "$1" | head -c "${2:-300}"; }
# Waits up to $2 seconds for the text $1 in file $3.
wait_for() { n=0; while ! grep -q "$1" "$3" 2>/dev/null; do [ $n -ge $(($2 * 10)) ] && return 1; sleep 0.1; n=$((n+1)); done; }
WAIT=${SMOKE_WAIT:-600}

T0=$(ms)
if out=$($VGATE --version 2>&1); then check vgate-starts PASS "$out on $(uname -m), $(grep -m1 'CPU part' /proc/cpuinfo | tr -s ' \t' ' ') (0xd03 = Cortex-A53)"
else check vgate-starts FAIL "$(echo "$out" | tail -3 | tr '\n' ' ')"; fi

T0=$(ms)
in_jre /usr/bin/candump -L -n 3 -T 20000 vcan0 > /tmp/candump.txt 2>&1 &
pid=$!; sleep 1
for f in 123#11223344 1ABCDEF0#DEADBEEF 7FF#R; do in_jre /usr/bin/cansend vcan0 $f; done
wait $pid
if [ "$(grep -c 'vcan0 ' /tmp/candump.txt)" = 3 ] && grep -q 'vcan0 1ABCDEF0#DEADBEEF' /tmp/candump.txt; then
  check can-utils-roundtrip PASS "cansend -> candump on vcan0: 3 frames (11-bit, 29-bit, RTR)"
else check can-utils-roundtrip FAIL "candump saw: $(oneline /tmp/candump.txt)"; fi

# vgate can dump --dbc: receives a frame sent by cansend and decodes it with the demo DBC:
# BMS_Thermal (0x101) BMS_Temp raw 250 * 0.1 = 25 degC.
T0=$(ms)
$VGATE can dump vcan0 --count 1 --dbc /work/vgate-demo.dbc > /tmp/dbc.out 2> /tmp/dbc.err &
pid=$!
if wait_for '# listening on vcan0' $WAIT /tmp/dbc.err; then
  in_jre /usr/bin/cansend vcan0 101#FA00283C50320000
  wait $pid; rc=$?
  if [ $rc = 0 ] && grep -Eq 'BMS_Temp[^a-zA-Z]*25(\.0*)?([^0-9]|$)' /tmp/dbc.out; then
    check vgate-can-decode PASS "cansend 101#FA00283C50320000 -> vgate can dump --dbc: $(grep -m1 -o 'BMS_Temp[^,;]*' /tmp/dbc.out)"
  else check vgate-can-decode FAIL "rc=$rc out: $(oneline /tmp/dbc.out 400) err: $(tail -3 /tmp/dbc.err | tr '\n' ' ')"; fi
else kill $pid 2>/dev/null; check vgate-can-decode FAIL "no '# listening on vcan0' within $WAIT s: $(tail -3 /tmp/dbc.err | tr '\n' ' ')"; fi

# The daemon: `vgate run --config` with vcan0 and one edge rule (the default battery over-temperature
# cutoff). Frames from cansend say BMS_Temp = 70 degC for over 200 ms; the rule must put BMS_Command
# (0x301) with ContactorRequest=OPEN (byte 0 = 01) on vcan0, where candump sees it.
T0=$(ms)
mkdir -p /tmp/smoke/state
cat > /tmp/smoke/rules.yaml <<'RULES'
version: 1
rules:
  - name: battery-overtemp-cutoff
    description: Battery pack over-temperature (BMS_Temp above 60 degC for 200 ms); contactor opened
    when: BMS_Temp > 60 degC for 200ms
    clear: BMS_Temp < 55 degC
    actions:
      - can: { message: BMS_Command, signals: { ContactorRequest: OPEN, ChargeCurrentLimit: 0, CutoffReason: 1 }, repeat: 3, period: 10ms }
      - alert: { severity: critical }
RULES
cat > /tmp/smoke/vgate.yaml <<'CONFIG'
vehicle_id: SYSTEST-QEMU-A53-01
state_dir: /tmp/smoke/state
buses:
  - name: powertrain
    kind: socketcan
    interface: vcan0
    dbc: /work/vgate-demo.dbc
mqtt:
  url: tcp://localhost:1883
rules: rules.yaml
status:
  file: /tmp/smoke/status.json
CONFIG
$VGATE run --config /tmp/smoke/vgate.yaml > /tmp/run.out 2> /tmp/run.err &
daemon=$!
if wait_for 'vgate running' $WAIT /tmp/run.err || wait_for 'vgate running' 1 /tmp/run.out; then
  in_jre /usr/bin/candump -L vcan0,301:7FF > /tmp/cutoff.txt 2>&1 &
  dump=$!; sleep 1
  # 20 frames, 50 ms apart: BMS_Temp raw 700 (0x02BC) * 0.1 = 70 degC for about a second
  i=0; while [ $i -lt 20 ]; do in_jre /usr/bin/cansend vcan0 101#BC02283C50320000; sleep 0.05; i=$((i+1)); done
  if wait_for 'vcan0 301#01' 60 /tmp/cutoff.txt; then
    check edge-rule-cutoff PASS "vgate run: BMS_Temp 70 degC > 60 for 200 ms -> cutoff frame seen by candump: $(grep -m1 -o 'vcan0 301#[0-9A-F]*' /tmp/cutoff.txt) ($(grep -c 'vcan0 301#' /tmp/cutoff.txt) frames)"
  else check edge-rule-cutoff FAIL "no BMS_Command 0x301 on vcan0 within 60 s; candump: $(oneline /tmp/cutoff.txt) daemon: $(tail -5 /tmp/run.err | tr '\n' ' ')"; fi
  kill $dump 2>/dev/null

  # Clean exit on SIGTERM: the daemon stops in order and exits 0, without a stack trace.
  T0=$(ms)
  kill -TERM $daemon; n=0
  while kill -0 $daemon 2>/dev/null && [ $n -lt 600 ]; do sleep 0.1; n=$((n+1)); done
  if kill -0 $daemon 2>/dev/null; then kill -KILL $daemon; check sigterm-clean-exit FAIL "vgate run still running 60 s after SIGTERM"
  else
    wait $daemon; rc=$?
    if [ $rc = 0 ] && grep -q 'vgate stopped' /tmp/run.err /tmp/run.out && ! grep -qE 'Exception in thread|^[[:space:]]+at ' /tmp/run.err; then
      check sigterm-clean-exit PASS "vgate run exited 0 $((n * 100)) ms after SIGTERM ('vgate stopped' logged)"
    else check sigterm-clean-exit FAIL "rc=$rc: $(grep -E 'Exception in thread|^[[:space:]]+at ' /tmp/run.err | head -3 | tr '\n' ' ') $(tail -3 /tmp/run.err | tr '\n' ' ')"; fi
  fi
else
  kill -KILL $daemon 2>/dev/null
  check edge-rule-cutoff FAIL "vgate run did not log 'vgate running' within $WAIT s: $(tail -5 /tmp/run.err | tr '\n' ' ')"
  T0=$(ms); check sigterm-clean-exit FAIL "the daemon never ran"
fi
sed 's/^/DAEMON: /' /tmp/run.err | tail -40
true
