-- wrk script: walks a list of request paths (one per line), each wrk thread its own stride, so that
-- no path is sent twice until the whole list has been walked (`wrapped` counts the paths sent again).
--   wrk -tN ... -s bench/walk.lua http://127.0.0.1:PORT -- PATHS_FILE N
-- After the run it prints latency percentiles (microseconds) and how many requests repeated a path, for
-- bench/traffic_bench.py.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  step = tonumber(args[2])
  i = id + 1 - step
  repeated = 0
  passes = 0
end

function request()
  i = i + step
  if i > #paths then
    i = (i - 1) % #paths + 1
    passes = passes + 1
  end
  if passes > 0 then
    repeated = repeated + 1
  end
  return wrk.format("GET", paths[i])
end

function done(summary, latency, requests)
  local repeats = 0
  for _, thread in ipairs(threads) do
    repeats = repeats + thread:get("repeated")
  end
  io.write(string.format("walk p50_us %d\n", latency:percentile(50)))
  io.write(string.format("walk p95_us %d\n", latency:percentile(95)))
  io.write(string.format("walk p99_us %d\n", latency:percentile(99)))
  io.write(string.format("walk repeated %d\n", repeats))
end
