#!/usr/bin/env bash
# HTTP intake with durable acks beside its peers, in one run on one machine:
#  - nginx `return 200` (this machine's HTTP ceiling),
#  - the collector (202 only after the group commit that holds the submission),
#  - Node-RED running `http in → mqtt out (QoS 1) → complete → http response` (bench/node-red),
#    which answers 202 after the broker's PUBACK,
# all driven by the same `wrk -t2` with the same POST body; the collector and Node-RED publish to
# the same private mosquitto, whose feed a subscriber counts. Each is then held at half its own
# full-load rate (a paced wrk script: bench/post_submission_paced.lua) to measure p99 there.
#
#   [BIN=build/bin] bench/intake_vs_peers.sh [SECONDS] [CONNECTIONS]
#
# Needs: scripts/setup (wrk, nginx, mosquitto) and `npm ci --prefix bench/node-red` (Node-RED
# is skipped with a message when bench/node-red/node_modules is missing). Only 127.0.0.1; every
# load loop is bounded by wrk's duration, every wait by a count.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}
pace_ms=100  # pause per request and connection in the half-load runs

bin=${BIN:-build/bin}  # the build to measure
[ -x "$bin/intake-collector" ] || { echo "build first: cmake --build --preset default" >&2; exit 2; }
for tool in wrk nginx mosquitto mosquitto_sub curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/setup" >&2; exit 2; }
done
node_red=bench/node-red/node_modules/node-red/red.js
[ -f "$node_red" ] || echo "Node-RED not installed (npm ci --prefix bench/node-red): skipped" >&2

work=$(mktemp -d /tmp/intake-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 400); do (echo > /dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; return 1; }
field() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
rss_kb() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
hwm_kb() { awk '/VmHWM/ { print $2 }' "/proc/$1/status"; }
per_s() { awk "BEGIN { printf \"%.0f\", $1 / $2 }"; }
lines() { wc -l < "$1"; }
# Waits (bounded: 30 s) until FILE has at least N lines.
wait_lines() { for _ in $(seq 600); do [ "$(lines "$1")" -ge "$2" ] && return 0; sleep 0.05; done; return 1; }

# full NAME URL: wrk at full load with distinct submissions; sets NAME's figures.
full() {
  wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/post_submission.lua "$2" > "$work/$1.txt"
}
# half NAME URL FULL_RATE: the same, paced to about half of FULL_RATE. Each connection offers one
# request per pause + answer; a 3 s probe measures what a guess of connections reaches, and the
# run scales the connections by target / reached. The rate reached is printed beside the target.
half() {
  local target c reached
  target=$(awk "BEGIN { print $3 / 2 }")
  c=$(awk "BEGIN { c = int($target * $pace_ms / 1000 + 0.5); print (c < 2 ? 2 : c) }")
  wrk -t2 -c"$c" -d3s --latency -s bench/post_submission_paced.lua "$2" -- "$pace_ms" > "$work/$1-probe.txt"
  reached=$(per_s "$(field requests "$work/$1-probe.txt")" "$(field duration_s "$work/$1-probe.txt")")
  c=$(awk "BEGIN { c = int($c * $target / ($reached > 0 ? $reached : 1) + 0.5); print (c < 2 ? 2 : c) }")
  wrk -t2 -c"$c" -d"${duration}s" --latency -s bench/post_submission_paced.lua "$2" -- "$pace_ms" \
    > "$work/$1-half.txt"
  echo "$c" > "$work/$1-half.connections"
}
accepted_of() { echo $(($(field requests "$1") - $(field not_202 "$1"))); }

# The ceiling: nginx answering 200 without touching the body.
nginx_port=$(free_port)
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; location / { return 200; } }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
pids+=($nginx_pid)
wait_port "$nginx_port"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/post_plain.lua "http://127.0.0.1:$nginx_port/" > "$work/nginx.txt"
nginx_rps=$(per_s "$(field requests "$work/nginx.txt")" "$(field duration_s "$work/nginx.txt")")
kill "$nginx_pid"

# The broker and a subscriber counting the feed (one line per event).
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
mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -q 1 -t 'intake/v1/#' -F '%I' > "$work/feed.txt" &
pids+=($!)

# The collector.
cat > "$work/collector.toml" <<CONF
[collector]
id = "bench"
region = "440303"
data_dir = "$work/data"
[http]
listen = "127.0.0.1:0"
threads = ${HTTP_THREADS:-2}
[upstream]
mqtt_uri = "tcp://127.0.0.1:$mqtt_port"
max_inflight = 256
[channels.api]
enabled = true
CONF
"$bin/intake-collector" --config "$work/collector.toml" 2> "$work/collector.log" &
collector_pid=$!
pids+=($collector_pid)
for _ in $(seq 200); do [ -f "$work/data/collector.state.json" ] && break; sleep 0.05; done
http_port=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["http_port"])' "$work/data/collector.state.json")
intake_url="http://127.0.0.1:$http_port/"
sleep 0.5
intake_idle_kb=$(rss_kb $collector_pid)

start_ns=$(date +%s%N)
full intake "$intake_url"
accepted=$(accepted_of "$work/intake.txt")
wait_lines "$work/feed.txt" "$accepted" || true
end_ns=$(date +%s%N)
arrived=$(lines "$work/feed.txt")
intake_peak_kb=$(hwm_kb $collector_pid)
curl -s "${intake_url}metrics" | grep -E '^intake_outbox_(commits|committed|apply_seconds|commit_seconds|writer_cpu_seconds)_total' > "$work/outbox-metrics.txt" || true
intake_rps=$(per_s "$accepted" "$(field duration_s "$work/intake.txt")")
events_ps=$(awk "BEGIN { printf \"%.0f\", $arrived / (($end_ns - $start_ns) / 1e9) }")
half intake "$intake_url" "$intake_rps"
kill "$collector_pid"

# Node-RED, publishing to the same broker.
if [ -f "$node_red" ]; then
  nr_port=$(free_port)
  mkdir -p "$work/node-red"
  echo '{}' > "$work/node-red/package.json"
  MQTT_PORT=$mqtt_port NODE_RED_PORT=$nr_port NODE_RED_USER_DIR=$work/node-red \
    node "$node_red" --settings bench/node-red/settings.js > "$work/node-red.log" 2>&1 &
  nr_pid=$!
  pids+=($nr_pid)
  wait_port "$nr_port"
  nr_url="http://127.0.0.1:$nr_port/"
  # Ready when a submission comes back 202: the flow is running and connected to the broker.
  for _ in $(seq 200); do
    [ "$(curl -s --max-time 1 -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      -d '{"description":"ready?"}' "${nr_url}api/v1/submissions")" = 202 ] && break
    sleep 0.05
  done
  sleep 0.5
  nr_idle_kb=$(rss_kb $nr_pid)
  before=$(lines "$work/feed.txt")
  full node-red "$nr_url"
  nr_accepted=$(accepted_of "$work/node-red.txt")
  wait_lines "$work/feed.txt" $((before + nr_accepted)) || true
  nr_arrived=$(($(lines "$work/feed.txt") - before))
  nr_peak_kb=$(hwm_kb $nr_pid)
  nr_rps=$(per_s "$nr_accepted" "$(field duration_s "$work/node-red.txt")")
  half node-red "$nr_url" "$nr_rps"
fi

line() {  # NAME FILE: rate, p50, p99, non-202
  printf '%-17s %6s accepted/s, p50 %s ms, p99 %s ms, non-202: %s\n' "$1:" \
    "$(per_s "$(accepted_of "$2")" "$(field duration_s "$2")")" "$(field p50_ms "$2")" \
    "$(field p99_ms "$2")" "$(field not_202 "$2")"
}
echo "date:             $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:          $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "load:             wrk -t2 -c$connections -d${duration}s POST, distinct descriptions; half load: wrk paced, ${pace_ms} ms per request and connection"
echo "nginx return 200: ${nginx_rps} req/s, p50 $(field p50_ms "$work/nginx.txt") ms, p99 $(field p99_ms "$work/nginx.txt") ms"
line "intake (202)" "$work/intake.txt"
line "intake half" "$work/intake-half.txt"
echo "                  (half: $(cat "$work/intake-half.connections") connections, target $((intake_rps / 2))/s)"
echo "intake feed:      $arrived of $accepted events arrived, ${events_ps} events/s end to end"
echo "intake rss:       idle $((intake_idle_kb / 1024)) MB, peak $((intake_peak_kb / 1024)) MB"
awk '{ v[$1] = $2 } END { c = v["intake_outbox_commits_total"]; if (c > 0) printf "intake outbox:    %d commits, %.1f submissions each; per batch: apply %.0f us, commit %.2f ms, writer cpu %.0f us\n", c, v["intake_outbox_committed_total"] / c, 1e6 * v["intake_outbox_apply_seconds_total"] / c, 1e3 * v["intake_outbox_commit_seconds_total"] / c, 1e6 * v["intake_outbox_writer_cpu_seconds_total"] / c }' "$work/outbox-metrics.txt"
if [ -f "$node_red" ]; then
  line "node-red (202)" "$work/node-red.txt"
  line "node-red half" "$work/node-red-half.txt"
  echo "                  (half: $(cat "$work/node-red-half.connections") connections, target $((nr_rps / 2))/s)"
  echo "node-red feed:    $nr_arrived of $nr_accepted events arrived"
  echo "node-red rss:     idle $((nr_idle_kb / 1024)) MB, peak $((nr_peak_kb / 1024)) MB"
  echo "ratio:            intake/nginx $(awk "BEGIN { printf \"%.2f\", $intake_rps / $nginx_rps }"), intake/node-red $(awk "BEGIN { printf \"%.2f\", $intake_rps / $nr_rps }")"
else
  echo "ratio:            intake/nginx $(awk "BEGIN { printf \"%.2f\", $intake_rps / $nginx_rps }")"
fi
