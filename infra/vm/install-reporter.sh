#!/bin/sh
# Installs the dsvm-pool session reporter on a DSVM; run once by cloud-init (runcmd) after write_files
# has put session_reporter.py, the unit files and jupyterhub_reporter_config.py in /opt/dsvm-pool.
set -eu
src=/opt/dsvm-pool
# The reporter's hub role needs JupyterHub 3 or later (scope names); stop here, loudly, on an older image.
python3 "$src/session_reporter.py" --check-hub
install -d -m 0755 /etc/dsvm-pool
# A fresh JupyterHub API token per VM, readable by root only; systemd hands it to the reporter.
if [ ! -s /etc/dsvm-pool/hub-token ]; then
  umask 077
  python3 -c 'import secrets; print(secrets.token_hex(32))' > /etc/dsvm-pool/hub-token
fi
chmod 0600 /etc/dsvm-pool/hub-token

# Register the reporter as a JupyterHub service (once), then restart the hub so it loads the token.
hub_config="${JUPYTERHUB_CONFIG:-/etc/jupyterhub/jupyterhub_config.py}"
if [ -f "$hub_config" ] && ! grep -q 'dsvm-pool session reporter' "$hub_config"; then
  printf '\n# dsvm-pool session reporter\nload_subconfig("%s/jupyterhub_reporter_config.py")\n' "$src" >> "$hub_config"
  systemctl try-restart jupyterhub.service || true
fi
# Entra sign-in for the hub (jupyterhub_entra_config.py, README "VM login"): oauthenticator into the hub's own Python
# (the interpreter of its jupyterhub script), then the config. Without it the hub keeps PAM and nobody can sign in,
# so a failed install is loud.
hub_python=$(head -n 1 "$(command -v jupyterhub)" | sed 's/^#! *//')
if ! "$hub_python" -c 'import oauthenticator' 2>/dev/null; then
  "$hub_python" -m pip install --quiet 'oauthenticator==17.4.0' || echo "dsvm-pool: installing oauthenticator failed; JupyterHub has no Entra sign-in" >&2
fi
if [ -f "$hub_config" ] && ! grep -q 'dsvm-pool entra sign-in' "$hub_config" && "$hub_python" -c 'import oauthenticator' 2>/dev/null; then
  printf '\n# dsvm-pool entra sign-in\nload_subconfig("%s/jupyterhub_entra_config.py")\n' "$src" >> "$hub_config"
  systemctl try-restart jupyterhub.service || true
fi

# The drain no longer stops the hub (docs/drain.md); this drop-in stays so that a hub restart (above, or by an
# admin) never stops anyone's server. systemd's default KillMode=control-group would kill every process in the
# hub's cgroup, including single-user servers a local-process spawner started there, whatever cleanup_servers says;
# with KillMode=process only the hub's main process is signalled, and it leaves the servers running
# (cleanup_servers = False) and stops its own proxy. Spawners that give each server its own unit (SystemdSpawner)
# are unaffected.
install -d -m 0755 /etc/systemd/system/jupyterhub.service.d
printf '[Service]\nKillMode=process\n' > /etc/systemd/system/jupyterhub.service.d/dsvm-pool-drain.conf

install -m 0644 "$src/dsvm-session-reporter.service" /etc/systemd/system/dsvm-session-reporter.service
install -m 0644 "$src/dsvm-session-reporter.timer" /etc/systemd/system/dsvm-session-reporter.timer
# The drain probe the load balancer asks (network.bicep probe `drain`, port 8001): 200, or 503 while drained.
install -m 0644 "$src/dsvm-session-probe.service" /etc/systemd/system/dsvm-session-probe.service
systemctl daemon-reload
systemctl enable --now dsvm-session-reporter.timer
systemctl enable --now dsvm-session-probe.service
