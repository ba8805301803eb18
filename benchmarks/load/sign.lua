-- wrk script (run with -t1): posts pre-signed Faable deliveries written by `LoadServer sign <count> <file>`, in file
-- order, each request its own delivery with its own id and HMAC signature. DELIVERIES names the file.
local deliveries = {}
local next_index = 1

function init(args)
  local file = assert(io.open(os.getenv("DELIVERIES"), "r"))
  for line in file:lines() do
    local event, id, timestamp, signature, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    deliveries[#deliveries + 1] = wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["X-Faable-Event"] = event,
      ["X-Faable-Delivery"] = id,
      ["X-Faable-Timestamp"] = timestamp,
      ["X-Faable-Signature"] = signature,
    }, body)
  end
  file:close()
end

function request()
  local r = deliveries[next_index]
  if r == nil then
    error("out of signed deliveries: generate more than the run sends")
  end
  next_index = next_index + 1
  return r
end
