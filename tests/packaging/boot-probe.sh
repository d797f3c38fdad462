#!/bin/sh
# Runs inside the scratch root booted by systemd-nspawn (scripts/package-test), as the oneshot
# intake-package-probe.service, after intake-collector.service and intake-collector@pkgtest.service
# have started under the packaged, hardened units. Writes one line per check to
# /root/probe.result, "PASS" last when every check held, then powers the container off.
# /root/intake-edge.deb is the installed package: reinstalling it exercises the maintainer
# scripts' systemd side (restart of running collectors on upgrade, stop on removal).
out=/root/probe.result
: >"$out"
trap 'systemctl poweroff --no-block' EXIT
ok() { echo "ok   $*" >>"$out"; }
bad() { echo "FAIL $*" >>"$out"; journalctl --no-pager -n 40 -u intake-collector.service -u intake-collector@pkgtest.service >>"$out" 2>&1; exit 1; }

port_of() {  # $1: data_dir; waits up to 15 s for the collector's state file
  i=0
  while [ $i -lt 150 ]; do
    p=$(sed -n 's/.*"http_port":\([0-9][0-9]*\).*/\1/p' "$1/collector.state.json" 2>/dev/null)
    if [ -n "$p" ] && [ "$p" != 0 ]; then echo "$p"; return 0; fi
    sleep 0.1; i=$((i + 1))
  done
  return 1
}

for pair in intake-collector.service:/var/lib/intake-edge:/etc/intake-edge/collector.toml \
            intake-collector@pkgtest.service:/var/lib/intake-edge/pkgtest:/etc/intake-edge/pkgtest.toml; do
  unit=${pair%%:*}; rest=${pair#*:}; dir=${rest%%:*}; conf=${rest#*:}
  systemctl is-active -q "$unit" || bad "$unit is $(systemctl is-active "$unit")"
  [ "$(systemctl show -P User "$unit")" = intake-edge ] || bad "$unit does not run as intake-edge"
  port=$(port_of "$dir") || bad "$unit wrote no state file in $dir"
  answer=$(curl -sS -m 10 -w ' %{http_code}' -H 'Content-Type: application/json' \
    --data '{"description":"井盖丢失 (package boot test)","submitter":{"phone":"13800138000"}}' \
    "http://127.0.0.1:$port/api/v1/submissions") || bad "$unit: POST failed"
  case "$answer" in *'"status":"accepted"'*' 202') ;; *) bad "$unit answered $answer" ;; esac
  status=$(intakectl status --config "$conf" --json) || bad "intakectl status --config $conf"
  case "$status" in *'"collector_running":true'*) ;; *) bad "intakectl status: $status" ;; esac
  owner=$(stat -c %U "$dir/outbox.db")
  [ "$owner" = intake-edge ] || bad "$dir/outbox.db belongs to $owner"
  ok "$unit: active as intake-edge, port $port, accepted a submission, intakectl sees it running"
done

exposure=$(systemd-analyze security intake-collector.service 2>/dev/null | tail -1)
ok "$exposure"

systemctl stop intake-collector.service
[ "$(systemctl show -P Result intake-collector.service)" = success ] ||
  bad "stop: Result=$(systemctl show -P Result intake-collector.service)"
[ "$(systemctl show -P ExecMainStatus intake-collector.service)" = 0 ] ||
  bad "stop: exit status $(systemctl show -P ExecMainStatus intake-collector.service)"
ok "systemctl stop: SIGTERM, clean exit 0"

# Upgrade (here: reinstall): postinst restarts the collectors that were running, and only those.
before=$(systemctl show -P MainPID intake-collector@pkgtest.service)
dpkg -i /root/intake-edge.deb >/dev/null 2>&1 </dev/null || bad "dpkg -i under systemd"
after=$(systemctl show -P MainPID intake-collector@pkgtest.service)
systemctl is-active -q intake-collector@pkgtest.service || bad "the instance is not running after the upgrade"
[ "$after" != "$before" ] || bad "the upgrade did not restart the running instance"
systemctl is-active -q intake-collector.service && bad "the upgrade started the stopped intake-collector.service"
ok "upgrade: running instance restarted (pid $before -> $after), stopped service left stopped"

# Removal: prerm stops every collector before its binary goes.
dpkg -r intake-edge >/dev/null 2>&1 </dev/null || bad "dpkg -r under systemd"
systemctl is-active -q intake-collector@pkgtest.service && bad "dpkg -r left the instance running"
dpkg -i /root/intake-edge.deb >/dev/null 2>&1 </dev/null || bad "reinstall after removal"
ok "remove: collectors stopped first"
echo PASS >>"$out"
