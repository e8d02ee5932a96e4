-- wrk script for bench/run: sends every request of a list exactly once, spread over wrk's
-- threads (thread t takes lines t, t+T, ...), then stops, so wrk's duration is the time for
-- that many requests at wrk's concurrency.
-- wrk itself always runs for its full -d, so each thread, once its share is answered, stops and
-- touches BENCH_DONE_DIR/<thread>; bench/run then sends wrk SIGINT, and done() prints the time
-- from the first request sent to the last answer received (CLOCK_MONOTONIC, via LuaJIT's ffi).
-- Env: BENCH_REQUESTS = file with one request per line: "METHOD PATH" or "METHOD PATH<TAB>JSON";
--      BENCH_THREADS = the -t given to wrk (must not exceed the number of lines);
--      BENCH_DONE_DIR = an existing directory for the per-thread done markers.
-- The -H headers (Authorization) are kept; JSON bodies get Content-Type: application/json.
local list_path = os.getenv("BENCH_REQUESTS")
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
local done_dir = os.getenv("BENCH_DONE_DIR")
local next_tid = 0
local threads = {}

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock_id, bench_timespec* tp);
]]
local function now()
  local ts = ffi.new("bench_timespec")
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  threads[#threads + 1] = thread
end

local function with_headers(extra)
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  for k, v in pairs(extra) do h[k] = v end
  return h
end

function init(args)
  reqs = {}
  local i = 0
  for line in io.lines(list_path) do
    if i % nthreads == tid then
      local method, path, body = line:match("^(%S+) ([^\t]+)\t?(.*)$")
      if method == "GET" then
        reqs[#reqs + 1] = wrk.format(method, path, with_headers({}), nil)
      elseif body == nil or body == "" then  -- "" still sends Content-Length: 0
        reqs[#reqs + 1] = wrk.format(method, path, with_headers({}), "")
      else
        reqs[#reqs + 1] = wrk.format(method, path,
                                     with_headers({["Content-Type"] = "application/json"}), body)
      end
    end
    i = i + 1
  end
  pos = 0
  responses = 0
  -- Sent only by connections still open after this thread's list is used up (at most c/t - 1).
  filler = wrk.format("GET", "/api/v4/users/me", with_headers({}), nil)
end

function request()
  if t_start == nil then t_start = now() end
  pos = pos + 1
  if pos <= #reqs then return reqs[pos] end
  return filler
end

function response(status, headers, body)
  responses = responses + 1
  if responses == #reqs then
    t_end = now()
    local f = io.open(done_dir .. "/" .. tid, "w")
    if f then f:close() end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  -- duration_us = -1 when a thread did not finish its share (wrk hit -d first).
  local first, last, complete = nil, nil, true
  for _, t in ipairs(threads) do
    local s, e = t:get("t_start"), t:get("t_end")
    if s == nil or e == nil then
      complete = false
    else
      if first == nil or s < first then first = s end
      if last == nil or e > last then last = e end
    end
  end
  local us = complete and first and math.floor((last - first) * 1e6) or -1
  io.write(string.format("BENCH_WRK requests=%d duration_us=%d status_errors=%d\n",
                         summary.requests, us, summary.errors.status))
end
