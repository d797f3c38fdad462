#!/usr/bin/env bash
# HTTP intake with durable acks beside nginx `return 200` (this machine's HTTP ceiling), in one
# run on one machine; the feed is counted by a subscriber on the same local broker.
#
#   bench/intake_vs_nginx.sh [SECONDS] [CONNECTIONS]
#
# Prints accepted/s, p50/p99 latency, events/s reaching the subscriber, peak RSS, and the ratio to
# nginx. Only 127.0.0.1; every load loop is bounded by wrk's duration.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}

[ -x build/bin/intake-collector ] || { echo "build first: cmake --build --preset default" >&2; exit 2; }
for tool in wrk nginx mosquitto mosquitto_sub; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/setup" >&2; exit 2; }
done

work=$(mktemp -d /tmp/intake-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; return 1; }
field() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

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
pids+=($!)
wait_port "$nginx_port"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/post_plain.lua "http://127.0.0.1:$nginx_port/" > "$work/nginx.txt"
nginx_rps=$(awk "BEGIN { printf \"%.0f\", $(field requests "$work/nginx.txt") / $(field duration_s "$work/nginx.txt") }")

# The broker and a subscriber counting the feed.
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
build/bin/intake-collector --config "$work/collector.toml" 2> "$work/collector.log" &
collector_pid=$!
pids+=($collector_pid)
for _ in $(seq 100); do [ -f "$work/data/collector.state.json" ] && break; sleep 0.05; done
http_port=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["http_port"])' "$work/data/collector.state.json")
sleep 0.5
idle_rss_kb=$(awk '/VmRSS/ { print $2 }' /proc/$collector_pid/status)

start_ns=$(date +%s%N)
wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/post_submission.lua "http://127.0.0.1:$http_port/" > "$work/intake.txt"
requests=$(field requests "$work/intake.txt")
not_202=$(field not_202 "$work/intake.txt")
accepted=$((requests - not_202))
# Wait (bounded) until the subscriber has every accepted event.
for _ in $(seq 600); do
  [ "$(wc -l < "$work/feed.txt")" -ge "$accepted" ] && break
  sleep 0.05
done
end_ns=$(date +%s%N)
arrived=$(wc -l < "$work/feed.txt")
peak_rss_kb=$(awk '/VmHWM/ { print $2 }' /proc/$collector_pid/status)
curl -s "http://127.0.0.1:$http_port/metrics" | grep -E '^intake_outbox_(commits|committed|apply_seconds|commit_seconds|writer_cpu_seconds)_total' > "$work/outbox-metrics.txt" || true
intake_s=$(field duration_s "$work/intake.txt")

accepted_rps=$(awk "BEGIN { printf \"%.0f\", $accepted / $intake_s }")
events_ps=$(awk "BEGIN { printf \"%.0f\", $arrived / (($end_ns - $start_ns) / 1e9) }")
ratio=$(awk "BEGIN { printf \"%.2f\", $accepted_rps / $nginx_rps }")

echo "machine:          $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(uname -r)"
echo "load:             wrk -t2 -c$connections -d${duration}s POST, distinct descriptions"
echo "nginx return 200: ${nginx_rps} req/s, p50 $(field p50_ms "$work/nginx.txt") ms, p99 $(field p99_ms "$work/nginx.txt") ms"
echo "intake (202):     ${accepted_rps} accepted/s, p50 $(field p50_ms "$work/intake.txt") ms, p99 $(field p99_ms "$work/intake.txt") ms, non-202: $not_202"
echo "feed:             $arrived of $accepted events arrived, ${events_ps} events/s end to end"
echo "rss:              idle $((idle_rss_kb / 1024)) MB, peak $((peak_rss_kb / 1024)) MB"
echo "ratio to nginx:   $ratio"
awk '{ v[$1] = $2 } END { c = v["intake_outbox_commits_total"]; if (c > 0) printf "outbox:           %d commits, %.1f submissions each; per batch: apply %.0f us, commit %.2f ms, writer cpu %.0f us\n", c, v["intake_outbox_committed_total"] / c, 1e6 * v["intake_outbox_apply_seconds_total"] / c, 1e3 * v["intake_outbox_commit_seconds_total"] / c, 1e6 * v["intake_outbox_writer_cpu_seconds_total"] / c }' "$work/outbox-metrics.txt"
