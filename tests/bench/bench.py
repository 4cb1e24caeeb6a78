"""httpc benchmark driver (make bench).

Starts a private nginx on loopback (HTTP and HTTPS, one worker), runs every
client over the same workloads on one keep-alive connection, each run
BENCH_RUNS times, and prints one table (median, min, max, ratios), the
syscall and peak-RSS figures, the parser micro-benchmark and the targets.

Environment (all optional):
  BENCH_RUNS     runs per client and workload (default 5)
  BENCH_SECS     seconds per timed run for the repeated workloads (default 2)
  BENCH_CPU      the CPU nginx's worker and every client are pinned to (1)
  BENCH_CLIENTS  comma list to restrict the clients (names as in the table)
  BENCH_WORK     comma list to restrict the workloads
  BENCH_MD       also write the report as Markdown to this path
  BUILD          the build directory (default build)
"""
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.abspath(os.path.join(TOP, os.environ.get("BUILD", "build")))
BB = os.path.join(BUILD, "bench")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SECS = float(os.environ.get("BENCH_SECS", "2"))
CPU = os.environ.get("BENCH_CPU", "1")
ONLY_CLIENTS = [c for c in os.environ.get("BENCH_CLIENTS", "").split(",") if c]
ONLY_WORK = [w for w in os.environ.get("BENCH_WORK", "").split(",") if w]
MIB = 1 << 20
BIG = 256 * MIB
SYSCALL_N0, SYSCALL_N1 = 200, 2200

# ---------------------------------------------------------------- clients

LUA_ENV = {
    "LUA_PATH": "%s/lua/?.lua;%s/lua/?/init.lua;;" % (TOP, TOP),
    "LD_LIBRARY_PATH": BUILD,
}


def have(*paths):
    missing = [p for p in paths if not os.path.exists(os.path.join(TOP, p) if not p.startswith("/") else p)]
    return None if not missing else "n/a (not built)"


def lua_mod(kind, interp):
    return [interp, os.path.join(TOP, "tests/bench/lua_client.lua"), kind]


def python_httpc_missing():
    d = os.path.join(BUILD, "python")
    if not os.path.isdir(d):
        return "n/a (not built)"
    r = subprocess.run([sys.executable, "-c", "import httpc"], cwd="/",
                       env=dict(os.environ, PYTHONPATH=d, LD_LIBRARY_PATH=BUILD),
                       capture_output=True)
    return None if r.returncode == 0 else "n/a (not built)"


def lua54_httpc_missing():
    if have("lua/httpc.lua", os.path.join(BUILD, "lua/5.4/httpc/core.so")):
        return "n/a (not built)"
    return None


def luajit_httpc_missing():
    if have("lua/httpc.lua", "lua/httpc/ffi.lua", os.path.join(BUILD, "libhttpc.so.1")):
        return "n/a (not built)"
    return None


# name, command prefix, extra env, availability check, note
CLIENTS = [
    ("floor", [os.path.join(BB, "floor")], {}, lambda: have(os.path.join(BB, "floor")),
     "C: one write + one read per request"),
    ("wrk", None, {}, lambda: None if shutil.which("wrk") else "n/a (no wrk)",
     "wrk -t1 -c1 (small GET only)"),
    ("httpc C", [os.path.join(BB, "httpc_c")], {}, lambda: have(os.path.join(BB, "httpc_c")),
     "public API: request/getresponse/read"),
    ("httpc Lua 5.4", lua_mod("httpc", "lua5.4"),
     dict(LUA_ENV, LUA_CPATH="%s/lua/5.4/?.so;;" % BUILD), lua54_httpc_missing,
     "require 'httpc', SWIG backend"),
    ("httpc LuaJIT", lua_mod("httpc", "luajit"),
     # HTTPC_LIB: ffi.lua would otherwise prefer the source tree's build/
     dict(LUA_ENV, HTTPC_BACKEND="ffi", HTTPC_LIB=os.path.join(BUILD, "libhttpc.so.1"),
          LUA_CPATH="%s/lua/5.1/?.so;;" % BUILD),
     luajit_httpc_missing, "require 'httpc', FFI backend"),
    ("httpc Python", [sys.executable, os.path.join(TOP, "tests/bench/py_httpclient.py"), "--httpc"],
     {"PYTHONPATH": os.path.join(BUILD, "python"), "LD_LIBRARY_PATH": BUILD},
     python_httpc_missing, "SWIG binding, http.client API"),
    ("libcurl", [os.path.join(BB, "curl_c")], {}, lambda: have(os.path.join(BB, "curl_c")),
     "C, one easy handle reused"),
    ("http.client", [sys.executable, os.path.join(TOP, "tests/bench/py_httpclient.py")], {},
     lambda: None, "CPython %s" % platform.python_version()),
    ("LuaSocket", lua_mod("luasocket", "lua5.4"), {},
     lambda: None, "Lua 5.4 socket.http/ssl.https: new connection per request (sends Connection: close)"),
    ("lua-http", lua_mod("luahttp", "luajit"), {},
     lambda: None, "LuaJIT (Debian's lua-http is 5.1-only), reads chunks as they arrive"),
]

# key, label, method, path, piece, body size, count, unit
WORKLOADS = [
    ("get", "small GET (100 B body)", "GET", "/100b", 0, 0, 10 ** 9, "req/s"),
    ("dl1m-64k", "1 MiB download, 64 KiB reads", "GET", "/1m", 65536, 0, 10 ** 9, "MB/s"),
    ("dl1m-all", "1 MiB download, one read()", "GET", "/1m", 0, 0, 10 ** 9, "MB/s"),
    ("dl256m-64k", "256 MiB download, 64 KiB reads", "GET", "/256m", 65536, 0, 1, "MB/s"),
    ("dl256m-all", "256 MiB download, one read()", "GET", "/256m", 0, 0, 1, "MB/s"),
    ("up1m", "1 MiB POST upload", "POST", "/upload", 0, MIB, 10 ** 9, "MB/s"),
]


# ---------------------------------------------------------------- nginx

def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def start_nginx(d):
    doc = os.path.join(d, "docroot")
    os.makedirs(doc)
    for sub in ("tmp",):
        os.makedirs(os.path.join(d, sub))
        os.chmod(os.path.join(d, sub), 0o777)
    os.chmod(d, 0o755)
    os.chmod(doc, 0o755)
    with open(os.path.join(doc, "100b"), "wb") as f:
        f.write(b"x" * 99 + b"\n")
    block = os.urandom(MIB)
    with open(os.path.join(doc, "1m"), "wb") as f:
        f.write(block)
    with open(os.path.join(doc, "256m"), "wb") as f:
        for _ in range(256):
            f.write(block)
    for name in ("100b", "1m", "256m"):
        os.chmod(os.path.join(doc, name), 0o644)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", os.path.join(d, "key.pem"), "-out", os.path.join(d, "cert.pem"),
                    "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    os.chmod(os.path.join(d, "key.pem"), 0o644)
    http_port, https_port = free_ports(2)
    user = "user www-data;" if os.getuid() == 0 else ""
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""
load_module /usr/share/nginx/modules/ndk_http_module.so;
load_module /usr/share/nginx/modules/ngx_http_lua_module.so;
%(user)s
worker_processes 1;
daemon on;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    keepalive_requests 10000000;
    keepalive_timeout 300s;
    tcp_nodelay on;
    sendfile on;
    default_type application/octet-stream;
    client_body_temp_path %(d)s/tmp/body;
    proxy_temp_path %(d)s/tmp/proxy;
    fastcgi_temp_path %(d)s/tmp/fastcgi;
    uwsgi_temp_path %(d)s/tmp/uwsgi;
    scgi_temp_path %(d)s/tmp/scgi;
    ssl_protocols TLSv1.2 TLSv1.3;
    server {
        listen 127.0.0.1:%(http)d;
        listen 127.0.0.1:%(https)d ssl;
        ssl_certificate %(d)s/cert.pem;
        ssl_certificate_key %(d)s/key.pem;
        root %(doc)s;
        location = /100b {
            # sendfile sends the head (writev) and the file as two segments;
            # with tcp_nopush they leave together, so the small response is
            # one segment and one recv() takes it whole, as over TLS.  (Only
            # here: on the large files it made loopback throughput bimodal.)
            tcp_nopush on;
        }
        location = /upload {
            client_max_body_size 2m;
            client_body_buffer_size 2m;
            # the body is read in full (into memory) before the 204
            content_by_lua_block {
                ngx.req.read_body()
                local b = ngx.req.get_body_data()
                if not b or #b ~= tonumber(ngx.var.http_content_length) then
                    return ngx.exit(400)
                end
                return ngx.exit(204)
            }
        }
    }
}
""" % dict(user=user, d=d, doc=doc, http=http_port, https=https_port))
    # taskset before exec: the master and the worker it forks stay on CPU
    subprocess.run(["taskset", "-c", CPU, "nginx", "-p", d, "-c", conf], check=True)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", http_port), 0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    return http_port, https_port


def stop_nginx(d):
    try:
        with open(os.path.join(d, "nginx.pid")) as f:
            pid = int(f.read())
        os.kill(pid, signal.SIGQUIT)
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.05)
    except (OSError, ValueError):
        pass


def raw_head(port, path):
    """The exact response head nginx sends for GET path."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % (path.encode(), port))
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(65536)
    s.close()
    return buf[:buf.index(b"\r\n\r\n") + 4]


# ---------------------------------------------------------------- running

RESULT = re.compile(r"requests=(\d+) seconds=([\d.]+) bytes=(\d+)")


def run_client(cmd, env, timeout=600):
    """Runs a pinned client; returns (requests, seconds, bytes, maxrss_kib)."""
    full_env = dict(os.environ, **env)
    p = subprocess.Popen(["taskset", "-c", CPU] + cmd, env=full_env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, cwd=TOP)
    out, err = p.communicate(timeout=timeout)
    m = RESULT.search(out.decode())
    if p.returncode != 0 or not m:
        raise RuntimeError("%s failed (%s): %s" % (" ".join(cmd), p.returncode, err.decode()[-400:]))
    return int(m.group(1)), float(m.group(2)), int(m.group(3))


def rss_of(cmd, env):
    """Peak RSS (KiB) of a pinned client run.  /usr/bin/time -f %M, not
    wait4 from here: Linux keeps ru_maxrss across exec, so a child forked
    from this Python process would start at the driver's own RSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as f:
        p = subprocess.run(["/usr/bin/time", "-o", f.name, "-f", "%M", "taskset", "-c", CPU] + cmd,
                           env=dict(os.environ, **env), stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, cwd=TOP)
        if p.returncode != 0:
            raise RuntimeError("%s failed: %s" % (" ".join(cmd), p.stderr.decode()[-400:]))
        return int(f.read().split()[-1])


def run_wrk(url, secs):
    out = subprocess.run(["taskset", "-c", CPU, "wrk", "-t1", "-c1", "-d%ds" % max(1, round(secs)), url],
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not m:
        raise RuntimeError("wrk: " + out)
    return float(m.group(1))


def args_for(scheme, port, w, count, secs):
    key, label, method, path, piece, body, _, unit = w
    return [scheme, "127.0.0.1", str(port), method, path, str(count), str(secs), str(piece), str(body)]


def strace_calls(cmd, env, scheme, port, n):
    w = WORKLOADS[0]
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as f:
        subprocess.run(["strace", "-f", "-c", "-o", f.name] + cmd + args_for(scheme, port, w, n, 0),
                       env=dict(os.environ, **env), cwd=TOP, check=True, capture_output=True)
        calls = {}
        for line in f.read().splitlines():
            parts = line.split()
            # "% time seconds usecs/call calls [errors] syscall"
            if len(parts) >= 5 and re.match(r"[\d.]+$", parts[0]) and parts[-1] != "total":
                calls[parts[-1]] = int(parts[3])
        return calls


def syscalls_per_request(cmd, env, scheme, port):
    a = strace_calls(cmd, env, scheme, port, SYSCALL_N0)
    b = strace_calls(cmd, env, scheme, port, SYSCALL_N1)
    per = {}
    for k in set(a) | set(b):
        v = (b.get(k, 0) - a.get(k, 0)) / (SYSCALL_N1 - SYSCALL_N0)
        if v >= 0.005:
            per[k] = v
    return sum(per.values()), per


def fmt(v):
    if v is None:
        return "-"
    if v >= 1000:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def on_term(signum, frame):
    raise KeyboardInterrupt("signal %d" % signum)


def main():
    # a TERM (or an INT while running in the background, where it is
    # ignored) still stops nginx and removes the temp dir
    signal.signal(signal.SIGTERM, on_term)
    clients = [c for c in CLIENTS if not ONLY_CLIENTS or c[0] in ONLY_CLIENTS]
    works = [w for w in WORKLOADS if not ONLY_WORK or w[0] in ONLY_WORK]
    d = tempfile.mkdtemp(prefix="httpc-bench-")
    results = {}     # (scheme, wkey, client) -> (median, min, max) or str
    rss = {}         # client -> (idle KiB, streaming KiB) or str
    sysc = {}        # (scheme, client) -> (total, breakdown) or str
    heads = {}
    try:
        http_port, https_port = start_nginx(d)
        ports = {"http": http_port, "https": https_port}
        for name in ("100b", "1m", "256m"):
            heads[name] = raw_head(http_port, "/" + name)
        for scheme in ("http", "https"):
            for w in works:
                key, label, method, path, piece, body, count, unit = w
                todo = []
                for cname, cmd, env, missing, note in clients:
                    why = missing()
                    if why:
                        results[(scheme, key, cname)] = why
                    elif cname != "wrk" or key == "get":
                        todo.append((cname, cmd, env))
                # runs are interleaved (every client once, then again), so a
                # change in the machine's other load hits every client alike
                vals = {cname: [] for cname, _, _ in todo}
                for _ in range(RUNS):
                    for cname, cmd, env in todo:
                        if (scheme, key, cname) in results:
                            continue  # failed before
                        try:
                            if cname == "wrk":
                                url = "%s://127.0.0.1:%d%s" % (scheme, ports[scheme], path)
                                vals[cname].append(run_wrk(url, SECS))
                                continue
                            secs = SECS if count > 1 else 0
                            n, t, nbytes = run_client(cmd + args_for(scheme, ports[scheme], w, count, secs), env)
                            vals[cname].append(n / t if unit == "req/s" else nbytes / t / 1e6)
                        except Exception as e:  # a failing client is reported, not hidden
                            results[(scheme, key, cname)] = "failed: " + str(e).splitlines()[0][:60]
                            print("!! %s %s %s: %s" % (scheme, key, cname, e), file=sys.stderr)
                for cname, v in vals.items():
                    if (scheme, key, cname) in results or not v:
                        continue
                    results[(scheme, key, cname)] = (statistics.median(v), min(v), max(v))
                    print("%-5s %-11s %-14s %s" % (scheme, key, cname, fmt(statistics.median(v))),
                          file=sys.stderr, flush=True)
        # peak RSS: an idle client (one small GET) vs streaming 256 MiB
        for cname, cmd, env, missing, note in clients:
            if cname == "wrk" or ONLY_WORK and "dl256m-64k" not in ONLY_WORK:
                continue
            if missing():
                rss[cname] = missing()
                continue
            try:
                idle = rss_of(cmd + args_for("http", http_port, WORKLOADS[0], 1, 0), env)
                big = rss_of(cmd + args_for("http", http_port, WORKLOADS[3], 1, 0), env)
                rss[cname] = (idle, big)
            except Exception as e:
                rss[cname] = "failed: " + str(e).splitlines()[0][:60]
        # syscalls per small keep-alive GET (strace -c -f, N1 - N0 requests)
        if shutil.which("strace") and (not ONLY_WORK or "get" in ONLY_WORK):
            for scheme in ("http", "https"):
                for cname, cmd, env, missing, note in clients:
                    if cname == "wrk":
                        continue
                    if missing():
                        sysc[(scheme, cname)] = missing()
                        continue
                    try:
                        sysc[(scheme, cname)] = syscalls_per_request(cmd, env, scheme, ports[scheme])
                    except Exception as e:
                        sysc[(scheme, cname)] = "failed: " + str(e).splitlines()[0][:60]
        parser = run_parser(d, heads)
    finally:
        stop_nginx(d)
        shutil.rmtree(d, ignore_errors=True)
    report(clients, works, results, rss, sysc, parser)


def run_parser(d, heads):
    exe = os.path.join(BB, "parser_bench")
    if not os.path.exists(exe):
        return "n/a (not built)"
    files = []
    for name, data in heads.items():
        p = os.path.join(d, "head-" + name)
        with open(p, "wb") as f:
            f.write(data)
        files.append("nginx_%s=%s" % (name, p))
    out = subprocess.run(["taskset", "-c", CPU, exe] + files, capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        # head=NAME bytes=N httpc_heads_s=X httpc_mbs=Y llhttp_heads_s=Z llhttp_mbs=W
        kv = dict(re.findall(r"(\w+)=(\S+)", line))
        if "head" in kv:
            rows.append(kv)
    # instructions per head (callgrind: repeatable, unlike time on a busy box)
    if shutil.which("valgrind"):
        specs = files + ["many"]
        for kv, spec in zip(rows, specs):
            for parser in ("httpc", "llhttp"):
                cg = os.path.join(d, "callgrind.out")
                r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + cg,
                                    "--toggle-collect=ir_loop", exe, "ir", parser, spec, "10000"],
                                   capture_output=True, text=True)
                m = re.search(r"Collected : (\d+)", r.stderr)
                if r.returncode == 0 and m:
                    kv[parser + "_ir"] = "%.0f" % (int(m.group(1)) / 10000)
    return rows


# ---------------------------------------------------------------- report

def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    ssl = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
    return "%s, %d CPUs, Linux %s, %s, %s, Python %s; load average at the end %.2f/%.2f/%.2f" % (
        cpu, os.cpu_count(), platform.release(), nginx, ssl, platform.python_version(), *os.getloadavg())


def table(headers, rows):
    """Returns (plain text, markdown) for one table."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)] if rows else [len(h) for h in headers]
    plain = ["  ".join(str(x).ljust(w) for x, w in zip(headers, widths))]
    plain.append("  ".join("-" * w for w in widths))
    plain += ["  ".join(str(x).ljust(w) for x, w in zip(r, widths)) for r in rows]
    md = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    md += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    return "\n".join(plain), "\n".join(md)


def ratio(a, b):
    if not isinstance(a, tuple) or not isinstance(b, tuple) or not b[0]:
        return "-"
    return "%.2f×" % (a[0] / b[0])


def report(clients, works, results, rss, sysc, parser):
    plain, md = [], []

    def add(title, headers, rows, note=None):
        p, m = table(headers, rows)
        plain.extend([title, "", p, ""])
        md.extend(["### " + title, "", m, ""])
        if note:
            plain.extend([note, ""])
            md.extend([note, ""])

    pin = ("nginx (master + its one worker) and every client run under `taskset -c %s`, "
           "so server and client share one CPU; %d runs each, %g s per timed run "
           "(256 MiB: one download per run after an untimed warm-up request)." % (CPU, RUNS, SECS))
    rows = []
    for scheme in ("http", "https"):
        for w in works:
            key, label, *_, unit = w
            floor = results.get((scheme, key, "floor"))
            curl = results.get((scheme, key, "libcurl"))
            pyref = results.get((scheme, key, "http.client"))
            for cname, *_rest in clients:
                r = results.get((scheme, key, cname))
                if r is None:
                    continue
                if isinstance(r, str):
                    rows.append([scheme.upper(), label, cname, r, "", "", unit, "", "", ""])
                    continue
                rows.append([scheme.upper(), label, cname, fmt(r[0]), fmt(r[1]), fmt(r[2]), unit,
                             ratio(r, floor), ratio(r, curl), ratio(r, pyref)])
    add("Throughput (median of runs; ratios use medians)",
        ["scheme", "workload", "client", "median", "min", "max", "unit", "× floor", "× libcurl",
         "× http.client"], rows, pin)

    rows = []
    for cname, *_x in clients:
        if cname == "wrk":
            continue
        v = rss.get(cname)
        if v is None:
            continue
        if isinstance(v, str):
            rows.append([cname, v, "", ""])
        else:
            rows.append([cname, "%.1f" % (v[0] / 1024), "%.1f" % (v[1] / 1024), "%.1f" % ((v[1] - v[0]) / 1024)])
    if rows:
        add("Peak RSS (MiB): idle client (one small GET) vs streaming 256 MiB in 64 KiB reads (HTTP)",
            ["client", "idle", "256 MiB streamed", "difference"], rows)

    rows = []
    for scheme in ("http", "https"):
        for cname, *_x in clients:
            v = sysc.get((scheme, cname))
            if v is None:
                continue
            if isinstance(v, str):
                rows.append([scheme.upper(), cname, v, ""])
            else:
                total, per = v
                rows.append([scheme.upper(), cname, "%.2f" % total,
                             ", ".join("%s %.2f" % kv for kv in sorted(per.items(), key=lambda kv: -kv[1]))])
    if rows:
        add("Syscalls per small keep-alive GET (strace -f -c; (calls at %d requests - calls at %d) / %d)"
            % (SYSCALL_N1, SYSCALL_N0, SYSCALL_N1 - SYSCALL_N0),
            ["scheme", "client", "per request", "breakdown"], rows)

    if isinstance(parser, str):
        add("Parser micro-benchmark", ["result"], [[parser]])
    elif parser:
        rows = []
        for kv in parser:
            h, l = float(kv["httpc_heads_s"]), float(kv["llhttp_heads_s"])
            rows.append([kv["head"], kv["bytes"], "%.0f" % h, "%.0f" % float(kv["httpc_mbs"]),
                         "%.0f" % l, "%.0f" % float(kv["llhttp_mbs"]), "%.2f×" % (h / l),
                         kv.get("httpc_ir", "-"), kv.get("llhttp_ir", "-")])
        add("Response-head parser: httpc parse_head vs llhttp (one core, heads parsed back to back)",
            ["head", "bytes", "httpc heads/s", "httpc MB/s", "llhttp heads/s", "llhttp MB/s",
             "httpc / llhttp", "httpc instr/head", "llhttp instr/head"], rows,
            "llhttp is built from Debian's node-llhttp sources with callbacks that record every "
            "header name/value span, so both sides end with the same list of fields.")

    rows = targets(results, rss, sysc, parser)
    add("Targets", ["target", "measured", "met"], rows)

    plain.append("Machine: " + machine())
    md.append("Machine: " + machine())
    print("\n".join(plain))
    out = os.environ.get("BENCH_MD")
    if out:
        with open(out, "w") as f:
            f.write("\n".join(md) + "\n")
        print("(Markdown written to %s)" % out)


def med(results, scheme, key, cname):
    r = results.get((scheme, key, cname))
    return r[0] if isinstance(r, tuple) else None


def targets(results, rss, sysc, parser):
    rows = []

    def check(label, value, goal, text=None):
        if value is None:
            rows.append([label, "n/a", "-"])
        else:
            rows.append([label, text or "%.2f" % value, "yes" if value >= goal else "NO"])

    for scheme in ("http", "https"):
        S = scheme.upper()
        f = med(results, scheme, "get", "floor")
        for cname, goal in (("httpc C", 0.90), ("httpc Lua 5.4", 0.80), ("httpc LuaJIT", 0.80)):
            v = med(results, scheme, "get", cname)
            check("%s small GET: %s ≥ %.2f× floor" % (S, cname, goal), v / f if v and f else None, goal,
                  "%.2f×" % (v / f) if v and f else None)
        v, p = med(results, scheme, "get", "httpc Python"), med(results, scheme, "get", "http.client")
        check("%s small GET: httpc Python ≥ 3× http.client" % S, v / p if v and p else None, 3.0,
              "%.2f×" % (v / p) if v and p else None)
        for key in ("get", "dl1m-64k", "dl1m-all", "dl256m-64k", "dl256m-all", "up1m"):
            c = med(results, scheme, key, "libcurl")
            for cname in ("httpc C", "httpc Lua 5.4", "httpc LuaJIT", "httpc Python"):
                v = med(results, scheme, key, cname)
                if v is None or c is None:
                    continue
                goal = 1.0
                check("%s %s: %s ≥ 1.0× libcurl" % (S, key, cname), v / c, goal, "%.2f×" % (v / c))
    for scheme in ("http",):
        for cname in ("httpc C", "httpc Lua 5.4", "httpc LuaJIT", "httpc Python"):
            v = sysc.get((scheme, cname))
            if isinstance(v, tuple):
                rows.append(["%s syscalls per small GET: %s = 2" % (scheme.upper(), cname), "%.2f" % v[0],
                             "yes" if v[0] <= 2.005 else "NO"])
    for cname in ("httpc C", "httpc Lua 5.4", "httpc LuaJIT", "httpc Python"):
        v = rss.get(cname)
        if isinstance(v, tuple):
            diff = (v[1] - v[0]) / 1024
            rows.append(["streaming 256 MiB: %s RSS < idle + 16 MiB" % cname, "+%.1f MiB" % diff,
                         "yes" if diff < 16 else "NO"])
    if isinstance(parser, list):
        for kv in parser:
            r = float(kv["httpc_heads_s"]) / float(kv["llhttp_heads_s"])
            rows.append(["parser %s: ≥ 1.0× llhttp (heads/s)" % kv["head"], "%.2f×" % r,
                         "yes" if r >= 1.0 else "NO"])
            if "httpc_ir" in kv and "llhttp_ir" in kv:
                r = float(kv["llhttp_ir"]) / float(kv["httpc_ir"])
                rows.append(["parser %s: ≥ 1.0× llhttp (instructions, callgrind)" % kv["head"],
                             "%.2f×" % r, "yes" if r >= 1.0 else "NO"])
    return rows


if __name__ == "__main__":
    main()
