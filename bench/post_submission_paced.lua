-- wrk script: post_submission.lua, paced. Each connection waits DELAY_MS (the script's argument)
-- before each request, so C connections offer about C * 1000 / DELAY_MS requests per second:
-- the way to hold a fixed, lower load with wrk (wrk2 is not in Debian). Latency is measured from
-- sending to the answer, so the pause itself is not counted.
dofile("bench/post_submission.lua")

local base_init = init
local pause_ms = 0

function init(args)
  pause_ms = tonumber(args[1]) or 0
  base_init(args)
end

function delay()
  return pause_ms
end
