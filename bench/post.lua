-- wrk script: POST /v1/comments with varied bodies read from a file (one JSON body a line).
-- usage: wrk -s bench/post.lua URL -- BODIES_FILE API_KEY
local requests = {}
local count = 0
local statuses = {}

function init(args)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. args[2],
  }
  for line in io.lines(args[1]) do
    count = count + 1
    requests[count] = wrk.format("POST", "/v1/comments", headers, line)
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  index = math.random(count)
end

function request()
  index = index % count + 1
  return requests[index]
end
