-- wrk script for the nginx ceiling: the same POST body shape, answered by `return 200`.
function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"description":"小区门口路灯坏了一个星期 编号1-1 晚上很黑请尽快维修","title":"路灯不亮",' ..
             '"location":{"address_string":"某路12号","lat":22.54,"long":114.06}}'
end

function done(summary, latency, requests)
  io.write(string.format("p50_ms %.3f\np99_ms %.3f\n", latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000))
  io.write(string.format("requests %d\nduration_s %.3f\n", summary.requests,
                         summary.duration / 1e6))
end
