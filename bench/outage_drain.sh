#!/usr/bin/env bash
# After a broker outage: an outbox holding EVENTS undelivered events, then the broker is back.
#
#   [BIN=build/bin] [BEFORE_BIN=DIR] bench/outage_drain.sh [EVENTS]      # default 100000
#
# 1. Fill: build/bin/pipeline_throughput stores EVENTS submissions through the collector's own
#    pipeline (normalize, triage, dedup, outbox with group commit) into DATA_DIR/outbox.db with no
#    consumer, as the collector does while the broker is down. It prints the rate of every 10,000
#    submissions as the dedup window fills ("segment" lines: the growth curve).
# 2. The broker's ceiling: mosquitto_pub -q 1 (256 in flight, as the collector) pushes the first
#    200,000 (at most) of those same payloads, read from the outbox, to a private mosquitto; a
#    mosquitto_sub -q 1 counts them.
# 3. The drain: the collector starts on that data directory with the broker up. Start-up time is
#    from exec to the first 200 from /readyz; then events/s reaching the same subscriber until
#    all EVENTS have arrived, with the collector's RSS sampled every 0.2 s.
# With FROM=DATA_DIR, step 1 is skipped: a data directory filled before (and kept with KEEP=1)
# is drained instead, and EVENTS is what it holds.
# With BEFORE_BIN=DIR, the start-up of that build's collector on the same backlog is measured
# first (with no broker, so it delivers nothing): the figure before a change.
# Only 127.0.0.1; every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-100000}
bin=${BIN:-build/bin}
ceiling_events=$((events < 200000 ? events : 200000))

for exe in intake-collector pipeline_throughput; do
  [ -x "$bin/$exe" ] || { echo "build first: cmake --build --preset default" >&2; exit 2; }
done
for tool in mosquitto mosquitto_pub mosquitto_sub sqlite3 curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/setup" >&2; exit 2; }
done

work=$(mktemp -d /tmp/intake-drain.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 400); do (echo > /dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; return 1; }
now_ns() { date +%s%N; }
lines() { wc -l < "$1"; }
# Waits until FILE has N lines, at most LIMIT seconds; prints the time of the last change (ns).
wait_lines() {
  local file=$1 n=$2 limit=$3 seen=-1 count last
  last=$(now_ns)
  for _ in $(seq $((limit * 20))); do
    count=$(lines "$file")
    if [ "$count" != "$seen" ]; then seen=$count; last=$(now_ns); fi
    [ "$count" -ge "$n" ] && break
    sleep 0.05
  done
  echo "$last"
}

# 1. Fill.
fill_start=$(now_ns)
if [ -n "${FROM:-}" ]; then
  mkdir -p "$work/data"
  mv "$FROM"/outbox.db* "$work/data/"
  events=$(sqlite3 "$work/data/outbox.db" "SELECT COUNT(*) FROM events WHERE dead = 0")
  ceiling_events=$((events < 200000 ? events : 200000))
  touch "$work/fill.txt"
else
  SEGMENT=10000 IN_FLIGHT=${IN_FLIGHT:-256} PEOPLE=${PEOPLE:-20000} PLACES=${PLACES:-3000} KEEP=1 \
    "$bin/pipeline_throughput" "$events" 2 "$work/data" > "$work/fill.txt"
fi
fill_s=$(awk "BEGIN { print ($(now_ns) - $fill_start) / 1e9 }")
{ grep "^segment" "$work/fill.txt" || true; } | awk '{ print "growth: " $2 " records in window, " $3 " accepted/s, writer " $4 " us per submission" }'
grep -v "^segment" "$work/fill.txt" || true
sqlite3 "$work/data/outbox.db" "SELECT payload FROM events ORDER BY seq LIMIT $ceiling_events" > "$work/payloads.txt"
[ "$(lines "$work/payloads.txt")" -eq "$ceiling_events" ] || { echo "payloads span lines: cannot replay them with mosquitto_pub -l" >&2; exit 1; }
outbox_mb=$(du -m "$work/data/outbox.db" | cut -f1)
sync

# The broker and the subscriber.
mqtt_port=$(free_port)
cat > "$work/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
max_inflight_messages 0
CONF
[ "$(id -u)" -eq 0 ] && echo "user root" >> "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
pids+=($!)
wait_port "$mqtt_port"
mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -q 1 -t 'intake/v1/#' -F '%I' > "$work/ceiling-feed.txt" &
sub_pid=$!
pids+=($sub_pid)
sleep 0.3

# 2. The ceiling. mosquitto_pub -l stops past 65,535 lines, so the payloads go in parts of 50,000.
split -l 50000 "$work/payloads.txt" "$work/part."
pub_start=$(now_ns)
for part in "$work"/part.*; do
  mosquitto_pub -h 127.0.0.1 -p "$mqtt_port" -q 1 -M 256 -t intake/v1/440303/request -l < "$part"
done
pub_last=$(wait_lines "$work/ceiling-feed.txt" "$ceiling_events" 120)
ceiling_arrived=$(lines "$work/ceiling-feed.txt")
ceiling_ps=$(awk "BEGIN { printf \"%.0f\", $ceiling_arrived / (($pub_last - $pub_start) / 1e9) }")
kill "$sub_pid"
mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -q 1 -t 'intake/v1/#' -F '%I' > "$work/feed.txt" &
pids+=($!)
sleep 0.3

# 3. The drain.
# start_collector BIN CONFIG: starts it, waits (bounded) for /readyz 200; sets collector_pid,
# port and startup_ms.
start_collector() {
  local start
  ready=""
  rm -f "$work/data/collector.state.json"
  start=$(now_ns)
  "$1/intake-collector" --config "$2" 2>> "$work/collector.log" &
  collector_pid=$!
  pids+=($collector_pid)
  port=""
  for _ in $(seq 3000); do
    [ -z "$port" ] && port=$(grep -o '"http_port": *[0-9]*' "$work/data/collector.state.json" 2>/dev/null | grep -o '[0-9]*$' || true)
    if [ -n "$port" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; then
      ready=$(now_ns)
      break
    fi
    sleep 0.01
  done
  [ -n "$ready" ] || { echo "the collector did not become ready" >&2; exit 1; }
  startup_ms=$(awk "BEGIN { printf \"%.0f\", ($ready - $start) / 1e6 }")
}
if [ -n "${BEFORE_BIN:-}" ]; then
  sed "s|tcp://127.0.0.1:$mqtt_port|tcp://127.0.0.1:$(free_port)|" > "$work/no-broker.toml" <<CONF
[collector]
id = "bench"
region = "440303"
data_dir = "$work/data"
[http]
listen = "127.0.0.1:0"
[upstream]
mqtt_uri = "tcp://127.0.0.1:$mqtt_port"
[channels.api]
enabled = true
CONF
  start_collector "$BEFORE_BIN" "$work/no-broker.toml"
  before_ms=$startup_ms
  kill "$collector_pid"
  wait "$collector_pid" || true
fi
cat > "$work/collector.toml" <<CONF
[collector]
id = "bench"
region = "440303"
data_dir = "$work/data"
[http]
listen = "127.0.0.1:0"
[upstream]
mqtt_uri = "tcp://127.0.0.1:$mqtt_port"
max_inflight = 256
[channels.api]
enabled = true
CONF
start_collector "$bin" "$work/collector.toml"
# RSS every 0.2 s, with how many events had arrived by then.
( while kill -0 "$collector_pid" 2>/dev/null; do
    echo "$(lines "$work/feed.txt") $(awk '/VmRSS/ { print $2 }' "/proc/$collector_pid/status" 2>/dev/null)"
    sleep 0.2
  done > "$work/rss.txt" ) &
pids+=($!)
drain_last=$(wait_lines "$work/feed.txt" "$events" $((events / 200 + 120)))
arrived=$(lines "$work/feed.txt")
depth=$(curl -s "http://127.0.0.1:$port/metrics" | awk '$1 == "intake_outbox_depth" { print $2 }')
drain_s=$(awk "BEGIN { print ($drain_last - $ready) / 1e9 }")
drain_ps=$(awk "BEGIN { printf \"%.0f\", $arrived / $drain_s }")
hwm_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$collector_pid/status")

echo "date:             $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:          $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${FROM:-}" ]; then
  echo "backlog:          $events events filled before (FROM=$FROM); outbox.db ${outbox_mb} MB"
else
  echo "backlog:          $events events filled in $(printf '%.0f' "$fill_s") s; outbox.db ${outbox_mb} MB"
fi
echo "ceiling:          mosquitto_pub -q 1 -M 256: $ceiling_arrived of $ceiling_events payloads, ${ceiling_ps} events/s"
echo "start-up:         ${startup_ms} ms from exec to /readyz 200 with the backlog"
[ -n "${BEFORE_BIN:-}" ] && echo "start-up before:  ${before_ms} ms with $BEFORE_BIN on the same backlog"
echo "drain:            $arrived of $events events arrived in $(printf '%.1f' "$drain_s") s after ready: ${drain_ps} events/s; outbox depth now ${depth:-?}"
echo "ratio:            drain/ceiling $(awk "BEGIN { printf \"%.2f\", $drain_ps / $ceiling_ps }")"
# RSS in the drain: at 10 %, 50 % and 90 % of the events delivered, and the peak.
awk -v n="$events" -v hwm="$hwm_kb" '
  $2 != "" { for (i = 1; i <= 3; i++) if (!done[i] && $1 >= n * q[i]) { at[i] = $2; done[i] = 1 } }
  BEGIN { q[1] = 0.1; q[2] = 0.5; q[3] = 0.9 }
  END { printf "rss in the drain: %d MB at 10 %%, %d MB at 50 %%, %d MB at 90 %% delivered; peak %d MB\n",
        at[1] / 1024, at[2] / 1024, at[3] / 1024, hwm / 1024 }' "$work/rss.txt"
