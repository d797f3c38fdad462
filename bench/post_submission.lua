-- wrk script: POST /api/v1/submissions with a distinct description per request, so every
-- request is a new submission (no dedup short-cut), and count answers that are not 202.
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  not_accepted = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"description":"小区门口路灯坏了一个星期 编号%d-%d 晚上很黑请尽快维修","title":"路灯不亮",' ..
    '"location":{"address_string":"某路12号","lat":22.54,"long":114.06}}', tid, counter)
  return wrk.format(nil, "/api/v1/submissions", nil, body)
end

function response(status, headers, body)
  if status ~= 202 then not_accepted = not_accepted + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("not_accepted") end
  io.write(string.format("not_202 %d\n", bad))
  io.write(string.format("p50_ms %.3f\np99_ms %.3f\n", latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000))
  io.write(string.format("requests %d\nduration_s %.3f\n", summary.requests,
                         summary.duration / 1e6))
end
