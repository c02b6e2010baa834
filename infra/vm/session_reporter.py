#!/usr/bin/env python3
"""dsvm-pool session reporter: runs on every VM of the interactive pool, once a minute (systemd timer).

It counts the sessions on this VM and posts them as the Azure Monitor custom metric that autoscale reads
(DESIGN.md "Session metric"): namespace DSVMPool, metric ActiveSessions, dimensions InstanceId and Kind.
Python 3 standard library only, because every Data Science VM ships python3 and nothing else is guaranteed.

A count that could not be taken is left out, never sent as 0: a missing series makes autoscale treat the
VM as busy ("unknown"), while a false 0 would let it deallocate a VM that someone is working on.

Configuration is read from environment variables (systemd loads /etc/dsvm-pool/reporter.env):
  DSVMPOOL_HUB_API_URL       JupyterHub REST API, default http://127.0.0.1:8081/hub/api (the hub's own port,
                             which skips the public TLS proxy on 8000)
  DSVMPOOL_HUB_TOKEN / DSVMPOOL_HUB_TOKEN_FILE   API token of the reporter's JupyterHub service
                             (default file /etc/dsvm-pool/hub-token)
  DSVMPOOL_HUB_CA_FILE       CA to trust when the hub API URL is https
  DSVMPOOL_IMDS_URL          Instance Metadata Service, default http://169.254.169.254
  DSVMPOOL_METRICS_ENDPOINT  default https://{region}.monitoring.azure.com
  DSVMPOOL_METRICS_CA_FILE   CA to trust for the metrics endpoint (tests: the local emulator's CA)
  DSVMPOOL_VMSS_RESOURCE_ID, DSVMPOOL_INSTANCE_ID, DSVMPOOL_REGION   override what IMDS says
  DSVMPOOL_SSHD_PIDFILE      pid file of the listening sshd, default /run/sshd.pid; only its sessions count
  DSVMPOOL_SSH_IGNORE_USERS  comma list of users whose SSH sessions are not people (e.g. a monitoring account)
  DSVMPOOL_HUB_PAGE_SIZE     users per hub API page, default 200
  DSVMPOOL_RECENT_MINUTES    window for the "recent JupyterHub activity" log figure, default 15
  DSVMPOOL_HTTP_TIMEOUT_SECONDS   per request, default 10
  DSVMPOOL_RETRIES           retries of a 429/5xx/network failure per call, default 2

Per-user report for the connection broker (docs/drain.md "Who is on which VM"), written each run and at once on a
drain, fresher than the metric. It names users, so it holds only who is on now: one row per VM, overwritten.
  DSVMPOOL_SESSIONS_TABLE_URL   e.g. https://{account}.table.core.windows.net/vmsessions; unset = no row written
  DSVMPOOL_SESSIONS_TABLE_SAS   a SAS query string instead of the VM's managed identity (tests against Azurite)

Drain before scale-in (docs/drain.md; the app runs `--drain` / `--undrain` through Run Command, as root):
  DSVMPOOL_NOLOGIN_FILE      default /run/nologin (pam_nologin refuses non-root logins while it exists;
                             /run is emptied at boot, so a restarted VM is never left blocked)
  DSVMPOOL_DRAIN_DIR         holds drained-until, default /run/dsvm-pool
  DSVMPOOL_PROBE_PORT        `--serve-probe` listens here, default 8001: the load balancer's health probe, 503 while
                             drained. JupyterHub keeps running, so open browser and SSH sessions stay up.
"""
import argparse
import datetime
import json
import os
import re
import ssl
import subprocess
import http.server
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

# The metric contract; test/unit/infra checks these against src/autoscale/session-metric.ts.
METRIC_NAMESPACE = "DSVMPool"
METRIC_NAME = "ActiveSessions"
DIMENSION_INSTANCE = "InstanceId"
DIMENSION_KIND = "Kind"
KIND_JUPYTER = "jupyter"
KIND_SSH = "ssh"

MONITOR_RESOURCE = "https://monitoring.azure.com/"
STORAGE_RESOURCE = "https://storage.azure.com/"
# The title OpenSSH gives the per-connection process that runs as the logged-in user: "sshd: alice@pts/0",
# or "sshd: alice@notty" for sessions without a terminal (VS Code Remote, scp, `ssh host cmd`). OpenSSH 9.8 and
# later run sessions in a separate sshd-session binary, titled "sshd-session: alice@pts/0" (release notes 9.8);
# both count, or a newer image would report false zeros. The privileged monitor ("… alice [priv]") never counts.
SSHD_SESSION_TITLE = re.compile(r"^sshd(?:-session)?: (?P<user>[^\s@]+)@(?P<tty>pts/\d+|notty)$")
# Programs JupyterHub spawns as a user's single-user server (run directly or as `python3 <program> ...`).
SINGLEUSER_PROGRAMS = {"jupyterhub-singleuser", "jupyter-labhub"}
NOLOGIN_MESSAGE = ("This VM is being taken out of service by dsvm-pool. Please connect again: "
                   "you will be sent to another VM.\n")


class ReporterError(Exception):
    """A step that failed in a way the next run may not repeat (network, throttling, a service down)."""


def env(name, default=None):
    value = os.environ.get(name, "").strip()
    return value if value else default


def log(event, **fields):
    # One JSON line per event; journald keeps them (journalctl -u dsvm-session-reporter).
    print(json.dumps({"event": event, **fields}, sort_keys=True), flush=True)


def http_json(url, *, method="GET", headers=None, body=None, ca_file=None, retries=None, expect=(200,)):
    """One JSON request with retries on 429, 5xx and network errors (honouring Retry-After up to 10 s)."""
    timeout = float(env("DSVMPOOL_HTTP_TIMEOUT_SECONDS", "10"))
    retries = int(env("DSVMPOOL_RETRIES", "2")) if retries is None else retries
    context = ssl.create_default_context(cafile=ca_file) if url.startswith("https://") else None
    data = json.dumps(body).encode() if body is not None else None
    all_headers = {"Accept": "application/json", **(headers or {})}
    if data is not None:
        all_headers["Content-Type"] = "application/json"
    attempt = 0
    while True:
        request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        delay = min(2 ** attempt, 10)
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
                if response.status not in expect:
                    raise ReporterError(f"{method} {url}: unexpected status {response.status}")
                text = response.read().decode() or "null"
                return json.loads(text)
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:300]
            retryable = error.code == 429 or error.code >= 500
            if not retryable or attempt >= retries:
                raise ReporterError(f"{method} {url}: HTTP {error.code} {detail}") from None
            retry_after = error.headers.get("Retry-After")
            if retry_after and retry_after.isdigit():
                delay = min(int(retry_after), 10)
        except (urllib.error.URLError, OSError, ValueError) as error:
            if attempt >= retries:
                raise ReporterError(f"{method} {url}: {getattr(error, 'reason', error)}") from None
        attempt += 1
        time.sleep(delay)


# --- where this VM is -------------------------------------------------------------------------------

def vm_identity(imds_url):
    """(vmss resource id, instance id, region) from IMDS instance metadata, each overridable by config."""
    vmss_id, instance_id, region = env("DSVMPOOL_VMSS_RESOURCE_ID"), env("DSVMPOOL_INSTANCE_ID"), env("DSVMPOOL_REGION")
    if vmss_id and instance_id and region:
        return vmss_id, instance_id, region
    meta = http_json(f"{imds_url}/metadata/instance?api-version=2021-02-01", headers={"Metadata": "true"})
    compute = meta.get("compute", {})
    # A Uniform scale set instance's resourceId is {vmss id}/virtualMachines/{instance id}.
    match = re.match(r"^(?P<vmss>.+/virtualMachineScaleSets/[^/]+)/virtualMachines/(?P<id>[^/]+)$",
                     compute.get("resourceId", ""), re.IGNORECASE)
    if match:
        vmss_id = vmss_id or match.group("vmss")
        instance_id = instance_id or match.group("id")
    elif compute.get("vmScaleSetName"):
        vmss_id = vmss_id or (
            f"/subscriptions/{compute['subscriptionId']}/resourceGroups/{compute['resourceGroupName']}"
            f"/providers/Microsoft.Compute/virtualMachineScaleSets/{compute['vmScaleSetName']}")
        instance_id = instance_id or compute.get("name", "").rsplit("_", 1)[-1]
    region = region or compute.get("location")
    if not (vmss_id and instance_id and region):
        raise ReporterError("IMDS did not say which scale set instance this is (is this VM in a scale set?)")
    return vmss_id, instance_id, region


def monitor_token(imds_url):
    query = urllib.parse.urlencode({"api-version": "2018-02-01", "resource": MONITOR_RESOURCE})
    answer = http_json(f"{imds_url}/metadata/identity/oauth2/token?{query}", headers={"Metadata": "true"})
    token = answer.get("access_token")
    if not token:
        raise ReporterError("IMDS returned no access_token (has the scale set a system-assigned identity?)")
    return token


# --- counting ----------------------------------------------------------------------------------------

def hub_token():
    token = env("DSVMPOOL_HUB_TOKEN")
    if token:
        return token
    path = env("DSVMPOOL_HUB_TOKEN_FILE", "/etc/dsvm-pool/hub-token")
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError as error:
        raise ReporterError(f"cannot read the JupyterHub token file {path}: {error.strerror}") from None


def count_jupyter(now):
    """(running single-user servers, of which active in the last N minutes). Raises if the hub can't be asked."""
    users, recent = jupyter_users(now)
    return len(users), recent


def jupyter_users(now):
    """([user name per running single-user server], active in the last N minutes). Raises if the hub can't be asked."""
    base = env("DSVMPOOL_HUB_API_URL", "http://127.0.0.1:8081/hub/api").rstrip("/")
    headers = {"Authorization": f"token {hub_token()}", "Accept": "application/jupyterhub-pagination+json"}
    recent_after = now - datetime.timedelta(minutes=float(env("DSVMPOOL_RECENT_MINUTES", "15")))
    running, recent = [], 0
    offset = 0
    page_size = int(env("DSVMPOOL_HUB_PAGE_SIZE", "200"))  # JupyterHub's default api_page_max_limit
    while True:
        # state=active: users with a server record (started, starting or stopping); paged.
        page = http_json(f"{base}/users?state=active&offset={offset}&limit={page_size}", headers=headers,
                         ca_file=env("DSVMPOOL_HUB_CA_FILE"), retries=1)
        users = page["items"] if isinstance(page, dict) else page
        for user in users:
            for server in (user.get("servers") or {}).values():
                # A server being spawned already holds a seat; one being stopped is leaving.
                if server.get("stopped") or server.get("pending") == "stop":
                    continue
                if not (server.get("ready") or server.get("pending") == "spawn"):
                    continue
                running.append(str(user.get("name", "")).lower())
                activity = parse_time(server.get("last_activity"))
                if activity and activity >= recent_after:
                    recent += 1
        following = page.get("_pagination", {}).get("next") if isinstance(page, dict) else None
        if not following:
            return running, recent
        offset = following["offset"]


def parse_time(text):
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def read_proc(pid, name):
    with open(f"/proc/{pid}/{name}", "rb") as handle:
        return handle.read()


def parent_of(pid):
    # /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ')'.
    stat = read_proc(pid, "stat").decode(errors="replace")
    return int(stat[stat.rindex(")") + 2:].split()[1])


def ancestors(pid):
    chain = []
    while pid > 1:
        try:
            pid = parent_of(pid)
        except (OSError, ValueError, IndexError):
            break
        chain.append(pid)
    return chain


def count_ssh():
    """Open SSH connections of people (see ssh_users)."""
    return len(ssh_users())


def ssh_users():
    """The user of each open SSH connection of a person: one per sshd session process, with or without a terminal.

    Read from /proc rather than `who` (only terminal logins, misses VS Code Remote) or `loginctl` (needs
    logind and PAM sessions). Only sessions of the listening sshd (its pid file) count, when that file exists.
    """
    listener = None
    try:
        with open(env("DSVMPOOL_SSHD_PIDFILE", "/run/sshd.pid"), encoding="utf-8") as handle:
            listener = int(handle.read().strip())
        # A stale pid file (sshd restarted, pid reused) would hide every session: a false 0. Trust it only
        # while it still names an sshd.
        if b"sshd" not in read_proc(listener, "cmdline"):
            listener = None
    except (OSError, ValueError):
        listener = None
    ignored = {u.strip() for u in env("DSVMPOOL_SSH_IGNORE_USERS", "").split(",") if u.strip()}
    own = set(ancestors(os.getpid()))  # if the reporter is run by hand from an SSH shell, that session is not counted
    users = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            title = read_proc(pid, "cmdline").split(b"\0")[0].decode(errors="replace").strip()
        except OSError:
            continue  # the process ended while we looked
        match = SSHD_SESSION_TITLE.match(title)
        if not match or match.group("user") in ignored or pid in own:
            continue
        if listener is not None and listener not in ancestors(pid):
            continue
        users.append(match.group("user").lower())
    return users


def count_singleuser_processes():
    """Running single-user servers, counted from /proc (while drained the hub and its API are stopped)."""
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            argv = read_proc(int(entry), "cmdline").split(b"\0")
        except OSError:
            continue  # the process ended while we looked
        names = [os.path.basename(a.decode(errors="replace")) for a in argv[:2]]
        program = names[1] if names[0].startswith("python") and len(names) > 1 else names[0]
        if program in SINGLEUSER_PROGRAMS:
            count += 1
    return count


# --- drain before scale-in -----------------------------------------------------------------------------

def nologin_file():
    return env("DSVMPOOL_NOLOGIN_FILE", "/run/nologin")


def drained_until_file():
    return os.path.join(env("DSVMPOOL_DRAIN_DIR", "/run/dsvm-pool"), "drained-until")


def drained_until():
    """When the drain ends (aware datetime), or None when not drained. An unreadable date counts as ended,
    so a damaged file can never keep a VM drained."""
    try:
        with open(drained_until_file(), encoding="utf-8") as handle:
            text = handle.read().strip()
    except FileNotFoundError:
        return None
    return parse_time(text) or datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)


def drain(minutes):
    """Blocks new sessions, then counts the ones there are. Returns (answer, problems)."""
    problems, unknown = [], []
    # 1. SSH first: from here on pam_nologin refuses new non-root logins.
    try:
        os.makedirs(os.path.dirname(nologin_file()) or ".", exist_ok=True)
        with open(nologin_file(), "w", encoding="utf-8") as handle:
            handle.write(NOLOGIN_MESSAGE)
    except OSError as error:
        problems.append(f"cannot write {nologin_file()}: {error.strerror}")
        unknown.append(KIND_SSH)  # not blocked: a login may arrive after the count
    # 2. Jupyter: the drained-until file (step 4, written before counting) fails the load balancer's probe
    # (`--serve-probe` answers 503), and the broker places nobody on a drained VM. The hub keeps running, so
    # every open browser session and its proxy stay up.
    until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=minutes)
    try:
        os.makedirs(os.path.dirname(drained_until_file()), exist_ok=True)
        with open(drained_until_file(), "w", encoding="utf-8") as handle:
            handle.write(until.strftime("%Y-%m-%dT%H:%M:%SZ") + "\n")
    except OSError as error:
        problems.append(f"cannot write {drained_until_file()}: {error.strerror}")
        unknown.append(KIND_JUPYTER)  # the probe still passes: a session may arrive after the count
    # 3. Count, after the blocks.
    answer = {"drained": True}
    for kind, counter in ((KIND_SSH, count_ssh), (KIND_JUPYTER, count_singleuser_processes)):
        try:
            counted = counter()
        except OSError as error:
            problems.append(f"cannot count {kind}: {error}")
            counted = None
        if counted is None and kind not in unknown:
            unknown.append(kind)
        if kind not in unknown:
            answer[kind] = counted
    # 4. The drain ends by itself: the periodic run undrains once drained-until has passed.
    if unknown:
        answer["unknown"] = sorted(unknown)
    return answer, problems


def undrain():
    """Lets sessions in again. Returns the list of steps that failed (empty when all went well)."""
    problems = []
    for path in (nologin_file(), drained_until_file()):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        except OSError as error:
            problems.append(f"cannot remove {path}: {error.strerror}")
    return problems


def undrain_if_expired(now):
    """The periodic run's guard against a lost undrain: a drain past its drained-until time is ended here."""
    until = drained_until()
    if until is None or now < until:
        return until is not None
    problems = undrain()
    log("undrained", reason="drained-until passed", drainedUntil=until.isoformat(), problems=problems)
    return False


def is_drained(now):
    """Drained now: a drained-until time that has not passed (the probe fails while it is true)."""
    until = drained_until()
    return until is not None and now < until


class ProbeHandler(http.server.BaseHTTPRequestHandler):
    """The load balancer's health probe: 200 while the VM takes new sessions, 503 while it is drained."""

    def do_GET(self):  # noqa: N802 (the stdlib's name)
        drained = is_drained(datetime.datetime.now(datetime.timezone.utc))
        body = b"draining\n" if drained else b"ok\n"
        self.send_response(503 if drained else 200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # one line per probe every few seconds would flood the journal
        pass


def serve_probe():
    port = int(env("DSVMPOOL_PROBE_PORT", "8001"))
    server = http.server.ThreadingHTTPServer((env("DSVMPOOL_PROBE_ADDRESS", "0.0.0.0"), port), ProbeHandler)
    log("probe-listening", port=server.server_address[1])
    server.serve_forever()


# --- reporting ---------------------------------------------------------------------------------------

def report_partition(vmss_id):
    """The vmsessions PartitionKey of a scale set; src/azure/vm-reports.ts computes the same key."""
    return vmss_id.lower().replace("/", ":")


def write_report_row(now, imds_url, vmss_id, instance_id, sessions, counts, drained):
    """Upserts this VM's row in the vmsessions table (Table REST "Insert Or Replace Entity"): who is on it now.
    User names are personal data: the row holds only current sessions and is overwritten every run; the app
    deletes it when the VM is gone. Does nothing when DSVMPOOL_SESSIONS_TABLE_URL is not set."""
    base = env("DSVMPOOL_SESSIONS_TABLE_URL")
    if not base:
        return False
    keys = "(PartitionKey='{}',RowKey='{}')".format(
        urllib.parse.quote(report_partition(vmss_id).replace("'", "''"), safe=""),
        urllib.parse.quote(instance_id.replace("'", "''"), safe=""))
    sas = env("DSVMPOOL_SESSIONS_TABLE_SAS", "").lstrip("?")
    headers = {"Accept": "application/json;odata=nometadata", "x-ms-version": "2019-02-02",
               "x-ms-date": now.strftime("%a, %d %b %Y %H:%M:%S GMT")}
    if not sas:
        query = urllib.parse.urlencode({"api-version": "2018-02-01", "resource": STORAGE_RESOURCE})
        token = http_json(f"{imds_url}/metadata/identity/oauth2/token?{query}", headers={"Metadata": "true"})
        headers["Authorization"] = f"Bearer {token.get('access_token', '')}"
    row = {"reportedAt": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "sessions": json.dumps(sessions), "drained": drained}
    row.update({kind: value for kind, value in counts.items()})
    http_json(base.rstrip("/") + keys + (f"?{sas}" if sas else ""), method="PUT", body=row, headers=headers,
              ca_file=env("DSVMPOOL_METRICS_CA_FILE"), expect=(200, 201, 204))
    return True


def report_row_now():
    """After a drain or undrain: the broker learns at once, not at the next minute. Best effort, on stderr."""
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        imds = env("DSVMPOOL_IMDS_URL", "http://169.254.169.254").rstrip("/")
        vmss_id, instance_id, _ = vm_identity(imds)
        sessions, counts = [], {}
        users = ssh_users()
        counts[KIND_SSH] = len(users)
        sessions += [{"user": u, "kind": KIND_SSH} for u in users]
        counts[KIND_JUPYTER] = count_singleuser_processes()
        write_report_row(now, imds, vmss_id, instance_id, sessions, counts, is_drained(now))
    except (ReporterError, OSError) as error:
        print(f"could not write the session row: {error}", file=sys.stderr, flush=True)


def metric_body(now, instance_id, counts):
    series = [
        {"dimValues": [instance_id, kind], "min": value, "max": value, "sum": value, "count": 1}
        for kind, value in counts.items()
    ]
    return {
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "data": {"baseData": {
            "metric": METRIC_NAME,
            "namespace": METRIC_NAMESPACE,
            "dimNames": [DIMENSION_INSTANCE, DIMENSION_KIND],
            "series": series,
        }},
    }


def run():
    now = datetime.datetime.now(datetime.timezone.utc)
    drained = undrain_if_expired(now)
    counts, problems, recent, sessions = {}, {}, None, []
    try:
        hub_users, recent = jupyter_users(now)
        counts[KIND_JUPYTER] = len(hub_users)
        sessions += [{"user": u, "kind": KIND_JUPYTER} for u in hub_users]
    except (ReporterError, KeyError, TypeError, AttributeError) as error:
        if drained:
            # The hub API is down (a drain no longer stops it, but it may be restarting): while drained its
            # servers are counted from /proc rather than left unknown.
            try:
                counts[KIND_JUPYTER] = count_singleuser_processes()
            except OSError as proc_error:
                problems[KIND_JUPYTER] = f"{error}; {proc_error}"
        else:
            problems[KIND_JUPYTER] = str(error)
    try:
        users = ssh_users()
        counts[KIND_SSH] = len(users)
        sessions += [{"user": u, "kind": KIND_SSH} for u in users]
    except OSError as error:
        problems[KIND_SSH] = str(error)
    if not counts:
        log("not-reported", reason="no session count could be taken", problems=problems)
        return 2

    imds = env("DSVMPOOL_IMDS_URL", "http://169.254.169.254").rstrip("/")
    vmss_id, instance_id, region = vm_identity(imds)
    endpoint = env("DSVMPOOL_METRICS_ENDPOINT", f"https://{region}.monitoring.azure.com").rstrip("/")
    http_json(f"{endpoint}{vmss_id}/metrics", method="POST", body=metric_body(now, instance_id, counts),
              headers={"Authorization": f"Bearer {monitor_token(imds)}"},
              ca_file=env("DSVMPOOL_METRICS_CA_FILE"), expect=(200, 201, 202, 204))
    # Recent activity goes to the log only: autoscale does not read it, and each extra custom-metric series costs.
    try:
        row = write_report_row(now, imds, vmss_id, instance_id, sessions, counts, drained)
    except ReporterError as error:
        row = False
        problems["row"] = str(error)
    log("reported", instanceId=instance_id, counts=counts, skipped=problems, recentJupyterActivity=recent,
        drained=drained, **({"row": True} if row else {}))
    return 0


# The reporter's hub role (jupyterhub_reporter_config.py) uses scopes named as in JupyterHub 3 (list:users, …);
# JupyterHub 2 had RBAC with other scope names, and older hubs none. Checked at install (install-reporter.sh).
MIN_HUB_MAJOR = 3


def check_hub():
    """(ok, message): whether `jupyterhub --version` (DSVMPOOL_JUPYTERHUB_BIN) says 3.x or later."""
    program = env("DSVMPOOL_JUPYTERHUB_BIN", "jupyterhub")
    try:
        out = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=60, check=False)
        version = out.stdout.strip() or out.stderr.strip()
    except (OSError, subprocess.SubprocessError) as error:
        return False, f"cannot run {program} --version: {error}"
    match = re.match(r"^(\d+)\.", version)
    if not match:
        return False, f"{program} --version printed {version!r}, not a version"
    if int(match.group(1)) < MIN_HUB_MAJOR:
        return False, f"JupyterHub {version} is too old: the session reporter needs JupyterHub {MIN_HUB_MAJOR} or later"
    return True, f"JupyterHub {version}"


def positive_minutes(text):
    value = float(text)
    if not 0 < value <= 24 * 60:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 1440 minutes")
    return value


def arguments(argv):
    parser = argparse.ArgumentParser(
        description="Count this VM's sessions and post them (no option: the 60-s timer's run), or drain/undrain it.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--drain", action="store_true",
                      help="block new SSH logins, fail the probe (JupyterHub keeps running), count the sessions, print one JSON line")
    mode.add_argument("--undrain", action="store_true", help="let new sessions in again, print one JSON line")
    mode.add_argument("--serve-probe", action="store_true",
                      help="serve the load balancer's health probe: 200, or 503 while drained (a systemd service)")
    mode.add_argument("--undrain-if-expired", action="store_true",
                      help="only end a drain whose drained-until time has passed (the timer's privileged step)")
    mode.add_argument("--check-hub", action="store_true",
                      help="exit 1 unless this VM's JupyterHub is 3 or later (run at install)")
    parser.add_argument("--drain-minutes", type=positive_minutes, default=15,
                        help="with --drain: the periodic run undrains the VM after this many minutes (default 15)")
    return parser.parse_args(argv)


def main(argv=None):
    args = arguments(sys.argv[1:] if argv is None else argv)
    if args.drain:
        answer, problems = drain(args.drain_minutes)
        for problem in problems:
            print(problem, file=sys.stderr, flush=True)
        print(json.dumps(answer, separators=(",", ":")), flush=True)  # the one stdout line the app parses
        report_row_now()
        return 0
    if args.undrain:
        problems = undrain()
        for problem in problems:
            print(problem, file=sys.stderr, flush=True)
        print(json.dumps({"drained": False, **({"problems": problems} if problems else {})}, separators=(",", ":")),
              flush=True)
        report_row_now()
        return 1 if problems else 0
    if args.serve_probe:
        serve_probe()
        return 0
    if args.undrain_if_expired:
        undrain_if_expired(datetime.datetime.now(datetime.timezone.utc))
        return 0
    if args.check_hub:
        ok, message = check_hub()
        print(message, file=sys.stdout if ok else sys.stderr, flush=True)
        return 0 if ok else 1
    try:
        return run()
    except ReporterError as error:
        log("failed", error=str(error))
        return 1


if __name__ == "__main__":
    sys.exit(main())
