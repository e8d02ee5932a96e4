-- wrk script for bench/run: sends every request of a list exactly once, spread over wrk's
-- threads (thread t takes lines t, t+T, ...), then stops, so wrk's duration is the time for
-- that many requests at wrk's concurrency.
-- Env: BENCH_REQUESTS = file with one request per line: "METHOD PATH" or "METHOD PATH<TAB>JSON";
--      BENCH_THREADS = the -t given to wrk (must not exceed the number of lines).
-- The -H headers (Authorization) are kept; JSON bodies get Content-Type: application/json.
local list_path = os.getenv("BENCH_REQUESTS")
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
local next_tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
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
      if body == nil or body == "" then
        reqs[#reqs + 1] = wrk.format(method, path, with_headers({}), nil)
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
  pos = pos + 1
  if pos <= #reqs then return reqs[pos] end
  return filler
end

function response(status, headers, body)
  responses = responses + 1
  if responses >= #reqs then wrk.thread:stop() end
end

function done(summary, latency, requests)
  io.write(string.format("BENCH_WRK requests=%d duration_us=%d status_errors=%d\n",
                         summary.requests, summary.duration, summary.errors.status))
end
