-- wrk script for Lifted's benchmarks. Two modes, chosen by the first argument after `--`:
--   tap <path> <sessions file>   POST a tap per request, each with a fresh UUID as its
--                                idempotency key, cycling through real sessions (a line per
--                                session: "<cookie header> <csrf token>")
--   get <path> [cookie header]   GET one page, optionally as a signed-in reader
-- done() prints one JSON line, "BENCH_JSON {...}", that bench/load.py reads.

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

local mode, path, sessions, cookie
local counter = 0

function init(args)
  mode, path = args[1], args[2]
  -- Per-thread seed: threads start in the same second, so the thread id goes in too.
  math.randomseed(os.time() * 1000 + tid)
  if mode == "tap" then
    sessions = {}
    for line in io.lines(args[3]) do
      local c, token = line:match("^(.-) (%S+)$")
      if c then table.insert(sessions, { cookie = c, token = token }) end
    end
    assert(#sessions > 0, "no sessions in " .. args[3])
  else
    cookie = args[3]
  end
end

-- A version-4 UUID that cannot repeat within a run: random bits, the thread id and a
-- per-thread counter.
local function uuid()
  counter = counter + 1
  return string.format(
    "%04x%04x-%04x-4%03x-%04x-%012x",
    math.random(0, 0xffff), math.random(0, 0xffff), tid % 0x10000,
    math.random(0, 0xfff), 0x8000 + math.random(0, 0x3fff), counter
  )
end

function request()
  if mode == "tap" then
    local s = sessions[(counter % #sessions) + 1]
    -- What web/static/outbox.js sends for a tap on Home: a form body, the CSRF header and
    -- hx-request, so the answer is the tap area's fragment (count and confirmation).
    local body = "id=" .. uuid()
      .. "&occurred_at=" .. os.date("!%Y-%m-%dT%H:%M:%SZ")
      .. "&timezone=UTC"
    return wrk.format("POST", path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = s.cookie,
      ["x-csrftoken"] = s.token,
      ["hx-request"] = "true",
      ["Accept-Encoding"] = "br, gzip",
    }, body)
  end
  local headers = {}
  if cookie and cookie ~= "" then headers["Cookie"] = cookie end
  headers["Accept-Encoding"] = "br, gzip"
  return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max
  ))
end
